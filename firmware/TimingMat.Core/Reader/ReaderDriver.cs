using System;
using TimingMat.Core.Hardware;

namespace TimingMat.Core.Reader
{
    /// <summary>
    /// The state machine that keeps a UHF reader module streaming, whatever happens on the line: open → settle →
    /// configure (each command's answer checked) → start → read, and on silence, an error status or a garbage storm:
    /// stop, back off, reconfigure, restart. Each read goes to an <see cref="ITagReadSink"/> as a reused
    /// <see cref="TagRead"/> stamped with the local microsecond time its frame began to arrive, worked out at the poll
    /// it arrived in from the bytes that followed it (so reads are not late by their wire time and the poll interval).
    /// </summary>
    /// <remarks>
    /// <para>Polled from the unit's loop: <see cref="Poll"/> reads what has arrived, handles it and the timeouts on the
    /// local clock, and never blocks. Nothing is allocated after construction.</para>
    /// <para>Protocol drivers (<see cref="Mercury.MercuryReaderDriver"/>, <see cref="R2000.R2000ReaderDriver"/>) supply
    /// the commands and classify the frames; the recovery rules live here:</para>
    /// <list type="bullet">
    /// <item>Silence: nothing valid for <see cref="ReaderDriverOptions.SilenceTimeoutMicros"/> while reading.</item>
    /// <item>Error status: a configuration command refused, or an error frame while reading (a Mercury temperature
    /// throttle is not an error: it is counted and surfaced as <see cref="IsThrottled"/>).</item>
    /// <item>Garbage storm: <see cref="ReaderDriverOptions.GarbageStormBytes"/> bytes outside valid frames within
    /// <see cref="ReaderDriverOptions.GarbageWindowMicros"/>. Less garbage only causes resyncs.</item>
    /// <item>No answer to a configuration or start command within <see cref="ReaderDriverOptions.ResponseTimeoutMicros"/>.</item>
    /// </list>
    /// <para>Each restart waits a backoff that starts at <see cref="ReaderDriverOptions.BackoffInitialMicros"/>, doubles
    /// up to <see cref="ReaderDriverOptions.BackoffMaxMicros"/>, and resets after
    /// <see cref="ReaderDriverOptions.HealthyMicros"/> of streaming. When an attempt fails before streaming for lack of
    /// an answer or for garbage, the next of <see cref="ReaderDriverOptions.BaudRates"/> is tried.</para>
    /// </remarks>
    public abstract class ReaderDriver : IFrameSink, IFramePrefilter
    {
        /// <summary>The highest reader index: the crossing detector keeps it in 4 bits beside the antenna.</summary>
        public const int MaxReaderIndex = 15;

        private readonly IBytePort _port;
        private readonly IMicrosecondClock _clock;
        private readonly ITagReadSink _sink;
        private readonly ReaderDriverOptions _options;
        private readonly FrameDeframer _deframer;
        private readonly byte[] _receive = new byte[256];
        private readonly byte[] _transmit = new byte[64];
        private readonly TagRead _read = new TagRead();
        private readonly ReaderCounters _counters = new ReaderCounters();
        private long _now;
        private long _deadline;
        private long _lastByteMicros;
        private long _drainedMicros;
        private long _pollStartBytes;
        private long _lastFrameMicros;
        private long _readingSinceMicros;
        private long _backoffMicros;
        private long _windowStartMicros;
        private long _windowStartSkipped;
        private int _step;
        private int _readerIndex;
        private int _baudIndex;
        private int _lineBaud;
        private bool _lineSpeedStep;
        private bool _reachedReading;
        private ReaderState _state;
        private long _stateSince;
        private long _nanosPerByte;
        private long _pollBytes;
        private bool _behind;
        private IReadThinner _thinner;

        // The options the polls read, taken once (a property is a call on the device).
        private readonly long _interByteTimeout;
        private readonly long _garbageWindow;
        private readonly long _garbageStorm;
        private readonly long _silenceTimeout;
        private readonly long _healthy;
        private readonly int _behindBytes;

        /// <summary>Initializes a new instance of the <see cref="ReaderDriver"/> class.</summary>
        /// <param name="port">Port of the module; opened by the driver when closed.</param>
        /// <param name="clock">The unit's microsecond clock.</param>
        /// <param name="sink">Where reads go.</param>
        /// <param name="options">Timing and recovery settings.</param>
        /// <param name="deframer">The protocol's deframer for module answers; the driver becomes its sink.</param>
        /// <exception cref="ArgumentNullException">An argument is <c>null</c>, or the options name no baud rate.</exception>
        protected ReaderDriver(IBytePort port, IMicrosecondClock clock, ITagReadSink sink, ReaderDriverOptions options, FrameDeframer deframer)
        {
            if (port == null)
            {
                throw new ArgumentNullException("port");
            }

            if (clock == null)
            {
                throw new ArgumentNullException("clock");
            }

            if (sink == null)
            {
                throw new ArgumentNullException("sink");
            }

            if (options == null || options.BaudRates == null || options.BaudRates.Length == 0)
            {
                throw new ArgumentNullException("options");
            }

            if (options.LineBaudRate < 0)
            {
                throw new ArgumentOutOfRangeException("options");
            }

            if (deframer == null)
            {
                throw new ArgumentNullException("deframer");
            }

            _port = port;
            _clock = clock;
            _sink = sink;
            _options = options;
            _deframer = deframer;
            _deframer.Sink = this;
            _backoffMicros = options.BackoffInitialMicros;
            _readerIndex = options.ReaderIndex;
            _interByteTimeout = options.InterByteTimeoutMicros;
            _garbageWindow = options.GarbageWindowMicros;
            _garbageStorm = options.GarbageStormBytes;
            _silenceTimeout = options.SilenceTimeoutMicros;
            _healthy = options.HealthyMicros;
            _behindBytes = options.BehindBytes;
            _state = ReaderState.Stopped;
        }

        /// <summary>
        /// Gets or sets which reader of the mat this is, 0–15, copied into every <see cref="TagRead.ReaderIndex"/>
        /// (starts as the options' <see cref="ReaderDriverOptions.ReaderIndex"/>). A unit with several modules sets it
        /// per driver, so they can share one options object.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">The index is outside 0–15 (the detector keeps it in 4 bits).</exception>
        public int ReaderIndex
        {
            get
            {
                return _readerIndex;
            }

            set
            {
                if (value < 0 || value > MaxReaderIndex)
                {
                    throw new ArgumentOutOfRangeException("value");
                }

                _readerIndex = value;
            }
        }

        /// <summary>
        /// Gets or sets what tells the driver, while it is behind its module (<see cref="ReaderDriverOptions.BehindBytes"/>
        /// waiting at a poll), which reads it may let go undecoded: the crossing detector, which keeps every chip's
        /// crossing and thins only the reads of chips it has already read well. <c>null</c>: every read is decoded.
        /// </summary>
        public IReadThinner Thinner
        {
            get { return _thinner; }
            set { _thinner = value; }
        }

        /// <summary>Gets a value indicating whether the last poll found the driver behind its module.</summary>
        public bool IsBehind
        {
            get { return _behind; }
        }

        /// <summary>Gets where the driver is in its cycle.</summary>
        public ReaderState State
        {
            get { return _state; }
        }

        /// <summary>Gets the local time the driver entered <see cref="State"/>, µs.</summary>
        public long StateSinceMicros
        {
            get { return _stateSince; }
        }

        /// <summary>Gets the running totals (one instance, updated in place).</summary>
        public ReaderCounters Counters
        {
            get { return _counters; }
        }

        /// <summary>Gets why the module was last restarted.</summary>
        public ReaderRestartReason LastRestartReason { get; private set; }

        /// <summary>Gets the last error status the module sent (protocol-specific code), or 0.</summary>
        public int LastErrorStatus { get; private set; }

        /// <summary>
        /// Gets a value indicating whether the module reported temperature throttling and has not sent a keep-alive
        /// since (its read rate is reduced; the unit should report it, there is nothing to restart).
        /// </summary>
        public bool IsThrottled { get; private set; }

        /// <summary>Gets the baud rate the driver uses now.</summary>
        public int BaudRate
        {
            get { return _lineBaud != 0 ? _lineBaud : BaudAt(_baudIndex); }
        }

        /// <summary>Gets the local time of the last valid frame, µs.</summary>
        public long LastFrameMicros
        {
            get { return _lastFrameMicros; }
        }

        /// <summary>Gets the current backoff before the next reconfiguration, µs.</summary>
        public long BackoffMicros
        {
            get { return _backoffMicros; }
        }

        /// <summary>Gets the options the driver runs with.</summary>
        protected ReaderDriverOptions Options
        {
            get { return _options; }
        }

        /// <summary>Gets the local time of the current poll, µs.</summary>
        protected long Now
        {
            get { return _now; }
        }

        /// <summary>Gets the number of configuration commands sent before the start command.</summary>
        protected abstract int ConfigurationSteps { get; }

        /// <summary>Starts the cycle: opens the port, sends stop (the module may still stream from before a reboot of
        /// the unit), lets it settle, then configures. Does nothing unless <see cref="ReaderState.Stopped"/>.</summary>
        public void Start()
        {
            if (_state != ReaderState.Stopped)
            {
                return;
            }

            _now = _clock.GetMicroseconds();
            _reachedReading = false;
            if (!OpenPort())
            {
                EnterBackoff(ReaderRestartReason.PortError);
                return;
            }

            SendStop();
            _deadline = _now + _options.SettleMicros;
            Enter(ReaderState.Settling);
        }

        /// <summary>Stops reading: sends the module's stop command and leaves the port open.</summary>
        public void Stop()
        {
            _now = _clock.GetMicroseconds();
            if (_state != ReaderState.Stopped && _port.IsOpen)
            {
                SendStop();
            }

            IsThrottled = false;
            Enter(ReaderState.Stopped);
        }

        /// <summary>Reads what has arrived, delivers reads, and handles timeouts and recovery. Never blocks.</summary>
        public void Poll()
        {
            _now = _clock.GetMicroseconds();
            ReaderState state = _state;
            if (state == ReaderState.Stopped)
            {
                return;
            }

            if (state == ReaderState.Settling || state == ReaderState.Backoff)
            {
                if (_port.IsOpen)
                {
                    _port.DiscardInput();
                }

                if (_now >= _deadline)
                {
                    BeginConfiguration();
                }

                return;
            }

            ReceiveAvailable();
            state = _state;
            if (state != ReaderState.Configuring && state != ReaderState.Starting && state != ReaderState.Reading)
            {
                return;
            }

            long now = _now;
            FrameDeframer deframer = _deframer;
            if (now - _lastByteMicros >= _interByteTimeout && deframer.HeldBytes > 0)
            {
                deframer.Flush();
                SyncDeframerCounters();
                if (!IsActive(_state))
                {
                    return;
                }
            }

            if (now - _windowStartMicros >= _garbageWindow)
            {
                _windowStartMicros = now;
                _windowStartSkipped = deframer.skippedBytes;
            }
            else if (deframer.skippedBytes - _windowStartSkipped >= _garbageStorm)
            {
                Recover(ReaderRestartReason.GarbageStorm);
                return;
            }

            state = _state;
            if (state == ReaderState.Configuring || state == ReaderState.Starting)
            {
                if (now >= _deadline)
                {
                    Recover(ReaderRestartReason.ResponseTimeout);
                }

                return;
            }

            if (now - _lastFrameMicros >= _silenceTimeout)
            {
                Recover(ReaderRestartReason.Silence);
                return;
            }

            if (now - _readingSinceMicros >= _healthy)
            {
                _backoffMicros = _options.BackoffInitialMicros;
            }

            OnReadingPoll();
        }

        /// <inheritdoc />
        void IFrameSink.OnFrame(byte[] buffer, int offset, int length)
        {
            _counters.frames++;
            ReaderState state = _state;
            if (state == ReaderState.Reading || state == ReaderState.Configuring || state == ReaderState.Starting)
            {
                HandleFrame(buffer, offset, length, state);
            }
        }

        /// <inheritdoc />
        bool IFramePrefilter.LetGo(byte[] buffer, int offset, int length)
        {
            int epcOffset;
            int epcLength;
            if (_state != ReaderState.Reading || !LocateEpc(buffer, offset, length, out epcOffset, out epcLength) || !_thinner.LetGo(buffer, epcOffset, epcLength))
            {
                return false;
            }

            _counters.readsThinned++;
            MarkAlive();
            return true;
        }

        /// <summary>
        /// Finds the EPC in a frame that is not checked yet, when it is a tag read (for <see cref="Thinner"/>); the bytes
        /// may be damaged, so only their positions are worked out, within the frame.
        /// </summary>
        /// <param name="frame">Buffer holding the frame.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="length">Frame length by its length byte.</param>
        /// <param name="epcOffset">Index of the EPC's first byte.</param>
        /// <param name="epcLength">EPC length in bytes.</param>
        /// <returns><c>true</c> when the frame is a tag read with its EPC where the protocol puts it.</returns>
        protected virtual bool LocateEpc(byte[] frame, int offset, int length, out int epcOffset, out int epcLength)
        {
            epcOffset = 0;
            epcLength = 0;
            return false;
        }

        /// <summary>Encodes configuration command <paramref name="step"/> (0-based) into a buffer.</summary>
        /// <param name="step">Step index, below <see cref="ConfigurationSteps"/>.</param>
        /// <param name="buffer">Buffer of 64 bytes.</param>
        /// <returns>The frame length.</returns>
        protected abstract int EncodeConfiguration(int step, byte[] buffer);

        /// <summary>Encodes the command that starts streaming.</summary>
        /// <param name="buffer">Buffer of 64 bytes.</param>
        /// <returns>The frame length.</returns>
        protected abstract int EncodeStart(byte[] buffer);

        /// <summary>Encodes the command that stops streaming.</summary>
        /// <param name="buffer">Buffer of 64 bytes.</param>
        /// <returns>The frame length, or 0 when the protocol has none.</returns>
        protected abstract int EncodeStop(byte[] buffer);

        /// <summary>Handles one valid frame while configuring, starting or reading.</summary>
        /// <param name="frame">Buffer holding the frame (valid during the call).</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="length">Frame length.</param>
        /// <param name="state">The driver's state (<see cref="State"/>, passed in: a property is a call on the device).</param>
        protected abstract void HandleFrame(byte[] frame, int offset, int length, ReaderState state);

        /// <summary>Called at the end of every poll while reading, after the silence check (e.g. to re-issue an inventory).</summary>
        protected virtual void OnReadingPoll()
        {
        }

        /// <summary>Records the answer to the configuration command of the current step: next step, or recovery.</summary>
        /// <param name="success">Whether the module accepted the command.</param>
        /// <param name="status">The module's status code when it refused.</param>
        protected void ConfigurationAnswered(bool success, int status)
        {
            if (_state != ReaderState.Configuring)
            {
                return;
            }

            MarkAlive();
            if (_lineSpeedStep)
            {
                LineSpeedAnswered(success);
                return;
            }

            if (!success)
            {
                ErrorStatus(status);
                return;
            }

            // The module answered its first command at the speed it boots at: now move it to the line speed, so
            // the later commands (and the stream) run at that speed.
            if (_step == 0 && _options.LineBaudRate > 0 && BaudRate != _options.LineBaudRate)
            {
                int length = EncodeLineSpeed(_transmit, _options.LineBaudRate);
                if (length > 0)
                {
                    _lineSpeedStep = true;
                    _deadline = _now + _options.ResponseTimeoutMicros;
                    if (!Send(_transmit, length))
                    {
                        Recover(ReaderRestartReason.PortError);
                    }

                    return;
                }
            }

            _step++;
            SendCurrentStep();
        }

        /// <summary>
        /// Encodes the command that moves the module to another line speed; the module answers at the old speed and
        /// then switches. Protocols that cannot (or not to that speed) return 0 and the module stays where it is.
        /// </summary>
        /// <param name="buffer">The transmit buffer.</param>
        /// <param name="baudRate">The speed wanted (<see cref="ReaderDriverOptions.LineBaudRate"/>).</param>
        /// <returns>The frame length, or 0.</returns>
        protected virtual int EncodeLineSpeed(byte[] buffer, int baudRate)
        {
            return 0;
        }

        private void LineSpeedAnswered(bool success)
        {
            _lineSpeedStep = false;
            if (success)
            {
                try
                {
                    _port.BaudRate = _options.LineBaudRate;
                    _lineBaud = _options.LineBaudRate;
                    _nanosPerByte = 10000000000L / _lineBaud;
                    _port.DiscardInput();
                    _deframer.Reset();
                }
                catch (Exception)
                {
                    _counters.portErrors++;
                    Recover(ReaderRestartReason.PortError);
                    return;
                }
            }
            else
            {
                // A module that refuses the speed still reads at the old one: fewer reads beat none.
                _counters.lineSpeedRefusals++;
            }

            _step++;
            SendCurrentStep();
        }

        // The speeds the search walks: the configured ones, then the line speed, where a module that was moved to
        // it and not power-cycled since is still found.
        private int BaudCount()
        {
            int line = _options.LineBaudRate;
            if (line <= 0)
            {
                return _options.BaudRates.Length;
            }

            for (int i = 0; i < _options.BaudRates.Length; i++)
            {
                if (_options.BaudRates[i] == line)
                {
                    return _options.BaudRates.Length;
                }
            }

            return _options.BaudRates.Length + 1;
        }

        private int BaudAt(int index)
        {
            return index < _options.BaudRates.Length ? _options.BaudRates[index] : _options.LineBaudRate;
        }

        /// <summary>Records that the module streams: <see cref="ReaderState.Starting"/> becomes <see cref="ReaderState.Reading"/>.</summary>
        protected void StreamingConfirmed()
        {
            if (_state != ReaderState.Starting)
            {
                return;
            }

            _reachedReading = true;
            _readingSinceMicros = _now;
            IsThrottled = false;
            Enter(ReaderState.Reading);
            MarkAlive();
        }

        /// <summary>Records a sign of life (any frame that shows the module works); resets the silence timer.</summary>
        protected void MarkAlive()
        {
            _lastFrameMicros = _now;
        }

        /// <summary>Records a keep-alive: alive, and no longer throttled.</summary>
        protected void KeepAliveReceived()
        {
            _counters.keepAlives++;
            IsThrottled = false;
            MarkAlive();
        }

        /// <summary>Records an R2000 round summary.</summary>
        protected void RoundSummaryReceived()
        {
            _counters.roundSummaries++;
            MarkAlive();
        }

        /// <summary>Records a temperature throttle: counted and surfaced, not restarted.</summary>
        /// <param name="status">The status code.</param>
        protected void ThrottleReceived(int status)
        {
            _counters.temperatureThrottles++;
            LastErrorStatus = status;
            IsThrottled = true;
            MarkAlive();
        }

        /// <summary>Records an error status and restarts the module.</summary>
        /// <param name="status">The status code.</param>
        protected void ErrorStatus(int status)
        {
            _counters.errorStatuses++;
            LastErrorStatus = status;
            Recover(ReaderRestartReason.ErrorStatus);
        }

        /// <summary>Records a valid frame that does not fit the current state.</summary>
        protected void FrameIgnored()
        {
            _counters.ignoredFrames++;
        }

        /// <summary>Records a valid frame whose tag record could not be parsed.</summary>
        protected void MalformedRecord()
        {
            _counters.malformedRecords++;
            MarkAlive();
        }

        /// <summary>Gets the read instance protocol drivers fill before <see cref="DeliverRead"/>.</summary>
        /// <returns>The reused read.</returns>
        protected TagRead ReadToFill()
        {
            return _read;
        }

        /// <summary>Stamps the read (local time its frame started on the line, reader index) and hands it to the sink.</summary>
        protected void DeliverRead()
        {
            TagRead read = _read;
            read.LocalMicros = FrameStartMicros();
            read.ReaderIndex = _readerIndex;
            _counters.tagReads++;
            _lastFrameMicros = _now;
            _sink.OnTagRead(read);
        }

        /// <summary>Sends a command built by the protocol driver.</summary>
        /// <param name="buffer">Frame bytes.</param>
        /// <param name="length">Frame length.</param>
        /// <returns><c>true</c> when the port took it.</returns>
        protected bool Send(byte[] buffer, int length)
        {
            try
            {
                _port.Write(buffer, 0, length);
                return true;
            }
            catch (Exception)
            {
                _counters.portErrors++;
                return false;
            }
        }

        /// <summary>Gets the driver's transmit buffer (64 bytes) for building a command.</summary>
        /// <returns>The buffer.</returns>
        protected byte[] TransmitBuffer()
        {
            return _transmit;
        }

        private static bool IsActive(ReaderState state)
        {
            return state == ReaderState.Configuring || state == ReaderState.Starting || state == ReaderState.Reading;
        }

        // When the read's frame began to arrive. Bytes come in one after another at the line speed, so the bytes
        // around the frame bound its start: a frame that was still coming in when the previous poll drained the
        // port went on from there at line speed, which fixes its start; a frame that arrived whole within this poll
        // started after the bytes before it and early enough for the bytes after it to arrive by now, and the middle
        // of that window is the unbiased guess. Stamping at the poll instead would make reads late by the frame's
        // wire time (2-4 ms at 115200 baud) plus half a poll interval on average.
        private long FrameStartMicros()
        {
            long nanosPerByte = _nanosPerByte;
            FrameDeframer deframer = _deframer;
            long fed = deframer.bytesFed;
            long frame = deframer.frameOffset;
            if (frame > fed || fed - frame > FrameDeframer.BufferSize)
            {
                return _now;
            }

            if (fed == _pollStartBytes)
            {
                // Delivered by a flush: its bytes came by the last poll that received any.
                return _lastByteMicros - (((fed - frame) * nanosPerByte) / 1000);
            }

            if (frame < _pollStartBytes)
            {
                return _drainedMicros - (((_pollStartBytes - frame) * nanosPerByte) / 1000);
            }

            long earliest = _drainedMicros + (((frame - _pollStartBytes) * nanosPerByte) / 1000);
            long latest = _now - (((fed - frame) * nanosPerByte) / 1000);
            return latest <= earliest ? latest : earliest + ((latest - earliest) / 2);
        }

        private void ReceiveAvailable()
        {
            _pollStartBytes = _deframer.bytesFed;
            _pollBytes = 0;
            ReceiveChunks();
            _drainedMicros = _now;

            // The bytes one poll finds waiting tell whether the core keeps up with the line.
            long waiting = _pollBytes;
            _counters.backlogBytes = waiting;
            if (waiting > _counters.maxBacklogBytes)
            {
                _counters.maxBacklogBytes = waiting;
            }

            _behind = waiting >= _behindBytes;
            if (_behind)
            {
                _counters.pollsBehind++;
            }
        }

        private void ReceiveChunks()
        {
            byte[] receive = _receive;
            FrameDeframer deframer = _deframer;
            while (true)
            {
                ReaderState state = _state;
                if (state != ReaderState.Reading && state != ReaderState.Configuring && state != ReaderState.Starting)
                {
                    return;
                }

                int n;
                try
                {
                    n = _port.Read(receive, 0, receive.Length);
                }
                catch (Exception)
                {
                    _counters.portErrors++;
                    Recover(ReaderRestartReason.PortError);
                    return;
                }

                if (n <= 0)
                {
                    return;
                }

                _counters.bytesReceived += n;
                _lastByteMicros = _now;
                _pollBytes += n;

                // Behind (a backlog last poll, or already this one): the reads of well-read chips go unchecked.
                deframer.prefilter = _thinner != null && (_behind || _pollBytes >= _behindBytes) ? this : null;
                deframer.Feed(receive, 0, n);
                SyncDeframerCounters();
                if (n < receive.Length)
                {
                    // Fewer bytes than asked for: the port is drained; what comes meanwhile waits for the next poll.
                    return;
                }
            }
        }

        private void SyncDeframerCounters()
        {
            FrameDeframer deframer = _deframer;
            ReaderCounters counters = _counters;
            long crcErrors = deframer.crcErrors;
            long truncated = deframer.truncatedFrames;
            if (deframer.prefilter != null)
            {
                // Frames damaged while behind: the UART dropped bytes while the core was late.
                counters.readsDropped += crcErrors - counters.crcErrors + truncated - counters.truncatedFrames;
            }

            counters.crcErrors = crcErrors;
            counters.truncatedFrames = truncated;
            counters.malformedFrames = deframer.malformedFrames;
            counters.skippedBytes = deframer.skippedBytes;
            counters.resyncs = deframer.resyncs;
        }

        private void BeginConfiguration()
        {
            if (!OpenPort())
            {
                Recover(ReaderRestartReason.PortError);
                return;
            }

            int baud = BaudAt(_baudIndex);
            _port.BaudRate = baud;
            _nanosPerByte = 10000000000L / baud;
            _lineBaud = 0;
            _lineSpeedStep = false;
            _port.DiscardInput();
            _deframer.Reset();
            _lastByteMicros = _now;
            _drainedMicros = _now;
            _windowStartMicros = _now;
            _windowStartSkipped = _deframer.SkippedBytes;
            _step = 0;
            Enter(ReaderState.Configuring);
            SendCurrentStep();
        }

        private void SendCurrentStep()
        {
            int length;
            if (_step < ConfigurationSteps)
            {
                length = EncodeConfiguration(_step, _transmit);
            }
            else
            {
                length = EncodeStart(_transmit);
                Enter(ReaderState.Starting);
            }

            _deadline = _now + _options.ResponseTimeoutMicros;
            if (!Send(_transmit, length))
            {
                Recover(ReaderRestartReason.PortError);
            }
        }

        private void Recover(ReaderRestartReason reason)
        {
            _counters.restarts++;
            switch (reason)
            {
                case ReaderRestartReason.Silence:
                    _counters.silenceRestarts++;
                    break;
                case ReaderRestartReason.ErrorStatus:
                    _counters.errorRestarts++;
                    break;
                case ReaderRestartReason.GarbageStorm:
                    _counters.garbageRestarts++;
                    break;
                case ReaderRestartReason.ResponseTimeout:
                    _counters.timeoutRestarts++;
                    break;
            }

            // A module that never streamed and never answered sensibly may be at another line speed.
            if (!_reachedReading && (reason == ReaderRestartReason.ResponseTimeout || reason == ReaderRestartReason.GarbageStorm))
            {
                _baudIndex = (_baudIndex + 1) % BaudCount();
            }

            if (_port.IsOpen)
            {
                SendStop();
            }

            EnterBackoff(reason);
        }

        private void EnterBackoff(ReaderRestartReason reason)
        {
            LastRestartReason = reason;
            _reachedReading = false;
            IsThrottled = false;
            _deadline = _now + _backoffMicros;
            _backoffMicros *= 2;
            if (_backoffMicros > _options.BackoffMaxMicros)
            {
                _backoffMicros = _options.BackoffMaxMicros;
            }

            Enter(ReaderState.Backoff);
        }

        private void SendStop()
        {
            int length = EncodeStop(_transmit);
            if (length > 0)
            {
                Send(_transmit, length);
            }
        }

        private bool OpenPort()
        {
            if (_port.IsOpen)
            {
                return true;
            }

            try
            {
                int baud = BaudAt(_baudIndex);
                _port.BaudRate = baud;
                _nanosPerByte = 10000000000L / baud;
                _lineBaud = 0;
                _port.Open();
                return _port.IsOpen;
            }
            catch (Exception)
            {
                _counters.portErrors++;
                return false;
            }
        }

        private void Enter(ReaderState state)
        {
            _state = state;
            _stateSince = _now;
        }
    }
}
