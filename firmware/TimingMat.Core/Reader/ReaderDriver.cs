// Over 400 lines for a reason: about 130 are the public status surface the unit's report reads; the rest is one state
// machine whose transitions read together. The line, the commands, the restart policy and the protocols are their own types.
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
    /// <para>The module's protocol (<see cref="Mercury.MercuryReaderDriver"/>, <see cref="R2000.R2000ReaderDriver"/> pass
    /// one in) encodes the commands and tells what each frame means; the driver acts on that, and owns the recovery
    /// rules: restart on silence while reading, an error status (a Mercury temperature throttle is not one: it is
    /// surfaced as <see cref="IsThrottled"/>), a garbage storm, or no answer to a command; back off (doubling, reset
    /// after a healthy streak); try the next baud rate when an attempt failed before streaming for lack of an answer
    /// or for garbage. The thresholds are <see cref="ReaderDriverOptions"/>; the Reader README tabulates the rules.</para>
    /// </remarks>
    public abstract class ReaderDriver : IFrameSink, IFramePrefilter
    {
        /// <summary>The highest reader index: the crossing detector keeps it in 4 bits beside the antenna.</summary>
        public const int MaxReaderIndex = 15;

        // Inventories issued again because the previous one did not end in time (R2000ReaderDriver.Reissues).
        internal long reissues;

        private readonly IMicrosecondClock _clock;
        private readonly ITagReadSink _sink;
        private readonly IModuleProtocol _protocol;
        private readonly ReaderLine _line;
        private readonly ReaderCommands _commands;
        private readonly ReaderRestarts _restarts;
        private readonly TagRead _read = new TagRead();
        private readonly ReaderCounters _counters = new ReaderCounters();
        private long _now;
        private long _deadline;
        private long _lastFrameMicros;
        private int _readerIndex;
        private bool _throttled;
        private int _lastErrorStatus;
        private ReaderState _state;
        private long _stateSince;
        private IReadThinner _thinner;

        // The options, taken once (a property is a call on the device).
        private readonly long _reissueMicros;
        private readonly long _silenceTimeout;
        private readonly long _responseTimeout;
        private readonly long _settle;

        /// <summary>Initializes a new instance of the <see cref="ReaderDriver"/> class.</summary>
        /// <param name="port">Port of the module; opened by the driver when closed.</param>
        /// <param name="clock">The unit's microsecond clock.</param>
        /// <param name="sink">Where reads go.</param>
        /// <param name="protocol">The module's protocol, with its options; the driver becomes its deframer's sink.</param>
        /// <exception cref="ArgumentNullException">An argument is <c>null</c>, or the options name no baud rate.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The options' line baud rate is negative.</exception>
        internal ReaderDriver(IBytePort port, IMicrosecondClock clock, ITagReadSink sink, IModuleProtocol protocol)
        {
            ReaderDriverOptions options = protocol.Options;
            if (port == null || clock == null || sink == null)
            {
                throw new ArgumentNullException(port == null ? "port" : clock == null ? "clock" : "sink");
            }

            if (options.BaudRates == null || options.BaudRates.Length == 0)
            {
                throw new ArgumentNullException("options");
            }

            if (options.LineBaudRate < 0)
            {
                throw new ArgumentOutOfRangeException("options");
            }

            _clock = clock;
            _sink = sink;
            _protocol = protocol;
            FrameDeframer deframer = protocol.CreateDeframer();
            deframer.Sink = this;
            _line = new ReaderLine(port, deframer, _counters, options);
            _commands = new ReaderCommands(protocol, _line, _counters);
            _restarts = new ReaderRestarts(_counters, _line, options);
            _readerIndex = options.ReaderIndex;
            _reissueMicros = protocol.ReissueMicros;
            _silenceTimeout = options.SilenceTimeoutMicros;
            _responseTimeout = options.ResponseTimeoutMicros;
            _settle = options.SettleMicros;
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
            get
            {
                return _thinner;
            }

            set
            {
                _thinner = value;
                _line.thinning = value != null ? this : null;
            }
        }

        /// <summary>Gets a value indicating whether the last poll found the driver behind its module.</summary>
        public bool IsBehind
        {
            get { return _line.behind; }
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
        public ReaderRestartReason LastRestartReason
        {
            get { return _restarts.lastReason; }
        }

        /// <summary>Gets the last error status the module sent (protocol-specific code), or 0.</summary>
        public int LastErrorStatus
        {
            get { return _lastErrorStatus; }
        }

        /// <summary>
        /// Gets a value indicating whether the module reported temperature throttling and has not sent a keep-alive
        /// since (its read rate is reduced; the unit should report it, there is nothing to restart).
        /// </summary>
        public bool IsThrottled
        {
            get { return _throttled; }
        }

        /// <summary>Gets the baud rate the driver uses now.</summary>
        public int BaudRate
        {
            get { return _line.BaudRate(); }
        }

        /// <summary>Gets the local time of the last valid frame, µs.</summary>
        public long LastFrameMicros
        {
            get { return _lastFrameMicros; }
        }

        /// <summary>Gets the current backoff before the next reconfiguration, µs.</summary>
        public long BackoffMicros
        {
            get { return _restarts.backoffMicros; }
        }

        /// <summary>Starts the cycle: opens the port, sends stop (the module may still stream from before a reboot of
        /// the unit), lets it settle, then configures. Does nothing unless <see cref="ReaderState.Stopped"/>.</summary>
        public void Start()
        {
            if (_state != ReaderState.Stopped)
            {
                return;
            }

            _now = _clock.GetMicroseconds();
            _restarts.Attempt();
            if (!_line.Open())
            {
                EnterBackoff(ReaderRestartReason.PortError);
                return;
            }

            _commands.SendStop();
            _deadline = _now + _settle;
            Enter(ReaderState.Settling);
        }

        /// <summary>Stops reading: sends the module's stop command and leaves the port open.</summary>
        public void Stop()
        {
            _now = _clock.GetMicroseconds();
            if (_state != ReaderState.Stopped && _line.port.IsOpen)
            {
                _commands.SendStop();
            }

            _throttled = false;
            Enter(ReaderState.Stopped);
        }

        /// <summary>Reads what has arrived, delivers reads, and handles timeouts and recovery. Never blocks.</summary>
        public void Poll()
        {
            long now = _clock.GetMicroseconds();
            _now = now;
            ReaderState state = _state;
            if (state == ReaderState.Stopped)
            {
                return;
            }

            ReaderLine line = _line;
            if (state == ReaderState.Settling || state == ReaderState.Backoff)
            {
                if (line.port.IsOpen)
                {
                    line.port.DiscardInput();
                }

                if (now >= _deadline)
                {
                    BeginConfiguration();
                }

                return;
            }

            ReaderRestartReason trouble = line.Receive(now);
            if (trouble != ReaderRestartReason.None)
            {
                Recover(trouble);
                return;
            }

            // The frames received may have restarted the module.
            state = _state;
            if (state != ReaderState.Reading)
            {
                if ((state == ReaderState.Configuring || state == ReaderState.Starting) && now >= _deadline)
                {
                    Recover(ReaderRestartReason.ResponseTimeout);
                }

                return;
            }

            long quiet = now - _lastFrameMicros;
            if (quiet >= _silenceTimeout)
            {
                Recover(ReaderRestartReason.Silence);
                return;
            }

            ReaderRestarts restarts = _restarts;
            if (now >= restarts.healthyAtMicros)
            {
                restarts.backoffMicros = restarts.initialMicros;
            }

            if (quiet >= _reissueMicros && now - _commands.startSentMicros >= _reissueMicros)
            {
                // A module that reads in rounds lost a round's end: ask for the next round.
                reissues++;
                _commands.SendStart(now);
            }
        }

        /// <inheritdoc />
        void IFrameSink.OnFrame(byte[] buffer, int offset, int length)
        {
            _counters.frames++;
            ReaderState state = _state;
            if (state != ReaderState.Reading && state != ReaderState.Configuring && state != ReaderState.Starting)
            {
                return;
            }

            TagRead read = _read;
            FrameVerdict verdict = _protocol.Classify(buffer, offset, length, state, read);
            if (verdict != FrameVerdict.Read)
            {
                Act(verdict, state);
                return;
            }

            // The stream's common case, inline: stamp the read (local time its frame started on the line, reader
            // index) and hand it to the sink.
            if (state == ReaderState.Starting)
            {
                StreamingConfirmed();
            }

            read.LocalMicros = _line.FrameStartMicros(_now);
            read.ReaderIndex = _readerIndex;
            _counters.tagReads++;
            _lastFrameMicros = _now;
            _sink.OnTagRead(read);
        }

        /// <inheritdoc />
        bool IFramePrefilter.LetGo(byte[] buffer, int offset, int length)
        {
            int epcOffset;
            int epcLength;
            if (_state != ReaderState.Reading || !_protocol.LocateEpc(buffer, offset, length, out epcOffset, out epcLength) || !_thinner.LetGo(buffer, epcOffset, epcLength))
            {
                return false;
            }

            _counters.readsThinned++;
            _lastFrameMicros = _now;
            return true;
        }

        // Acts on every verdict but a read.
        private void Act(FrameVerdict verdict, ReaderState state)
        {
            ReaderCounters counters = _counters;
            switch (verdict)
            {
                case FrameVerdict.Ignored:
                    counters.ignoredFrames++;
                    return;
                case FrameVerdict.Answered:
                case FrameVerdict.Refused:
                    _lastFrameMicros = _now;
                    Configure(_commands.Answered(verdict == FrameVerdict.Answered));
                    return;
                case FrameVerdict.Error:
                    ErrorStatus();
                    return;
            }

            // Any other frame shows the module streams (the first confirms the start) and is alive.
            if (state == ReaderState.Starting)
            {
                StreamingConfirmed();
            }

            _lastFrameMicros = _now;
            switch (verdict)
            {
                case FrameVerdict.KeepAlive:
                    counters.keepAlives++;
                    _throttled = false;
                    break;
                case FrameVerdict.Throttled:
                    // Counted and surfaced, not restarted.
                    counters.temperatureThrottles++;
                    _lastErrorStatus = _protocol.Status;
                    _throttled = true;
                    break;
                case FrameVerdict.Malformed:
                    counters.malformedRecords++;
                    break;
                case FrameVerdict.RoundEnded:
                    counters.roundSummaries++;
                    _commands.SendStart(_now);
                    break;
            }
        }

        // Records that the module streams: Starting becomes Reading.
        private void StreamingConfirmed()
        {
            _restarts.Streaming(_now);
            _throttled = false;
            Enter(ReaderState.Reading);
            _lastFrameMicros = _now;
        }

        // Records the error status the protocol read and restarts the module.
        private void ErrorStatus()
        {
            _counters.errorStatuses++;
            _lastErrorStatus = _protocol.Status;
            Recover(ReaderRestartReason.ErrorStatus);
        }

        private void BeginConfiguration()
        {
            if (!_line.Open())
            {
                Recover(ReaderRestartReason.PortError);
                return;
            }

            _line.Begin(_now);
            Enter(ReaderState.Configuring);
            Configure(_commands.Begin());
        }

        // Acts on where a configuration step went: wait for the answer, start, or restart.
        private void Configure(int outcome)
        {
            _deadline = _now + _responseTimeout;
            if (outcome == ReaderCommands.StartDue)
            {
                Enter(ReaderState.Starting);
                outcome = _commands.SendStart(_now) ? ReaderCommands.Sent : ReaderCommands.PortFailed;
            }

            if (outcome == ReaderCommands.Refused)
            {
                ErrorStatus();
            }
            else if (outcome == ReaderCommands.PortFailed)
            {
                Recover(ReaderRestartReason.PortError);
            }
        }

        private void Recover(ReaderRestartReason reason)
        {
            _restarts.Count(reason);
            if (_line.port.IsOpen)
            {
                _commands.SendStop();
            }

            EnterBackoff(reason);
        }

        private void EnterBackoff(ReaderRestartReason reason)
        {
            _throttled = false;
            _deadline = _now + _restarts.Backoff(reason);
            Enter(ReaderState.Backoff);
        }

        private void Enter(ReaderState state)
        {
            _state = state;
            _stateSince = _now;
            _line.receiving = state == ReaderState.Configuring || state == ReaderState.Starting || state == ReaderState.Reading;
        }
    }
}
