using System;
using TimingMat.Core.Hardware;

namespace TimingMat.Core.Reader
{
    /// <summary>
    /// The serial line to one reader module, below its frames: opens the port at the speed being probed, walks the
    /// probe speeds, moves the module to the line speed, sends commands, and at each poll drains what arrived into
    /// the deframer, noting when the bytes came (to stamp a frame's start) and how many waited (whether the core is
    /// behind its module), flushing what is held after an inter-byte timeout and watching for a garbage storm.
    /// Owned by a <see cref="ReaderDriver"/>; it counts bytes and port errors and reports trouble, the driver restarts.
    /// </summary>
    internal sealed class ReaderLine
    {
        /// <summary>The module's port.</summary>
        internal readonly IBytePort port;

        /// <summary>The line speed the module is moved to after its first answer, or 0 to leave it where it is found.</summary>
        internal readonly int lineRate;

        // A field the driver reads directly (a property is a call on the device).
        internal bool behind;

        // Whether the driver is in a state that takes frames; it sets this on every state change, and the receive
        // loop stops as soon as a frame made the driver leave such a state (a restart).
        internal bool receiving;

        // The prefilter to install while behind (the driver when it has a thinner), or null.
        internal IFramePrefilter thinning;

        private readonly FrameDeframer _deframer;
        private readonly ReaderCounters _counters;
        // The UART is read in chunks of this many bytes (the size of _receive).
        private const int ReceiveChunk = 256;

        private readonly byte[] _receive = new byte[ReceiveChunk];
        private readonly int[] _rates;
        private readonly int _behindBytes;
        private readonly long _interByteTimeout;
        private readonly long _garbageWindow;
        private readonly long _garbageStorm;
        private int _probe;
        private int _lineBaud;
        private long _nanosPerByte;
        private long _drainedMicros;
        private long _pollStartBytes;
        private long _lastByteMicros;
        private long _windowEndMicros;
        private long _windowStartSkipped;

        /// <summary>Initializes a new instance of the <see cref="ReaderLine"/> class.</summary>
        /// <param name="port">The module's port.</param>
        /// <param name="deframer">The deframer the received bytes go to.</param>
        /// <param name="counters">The driver's counters (bytes, port errors, backlog, deframer errors).</param>
        /// <param name="options">Probe speeds, line speed, the backlog that counts as behind, the inter-byte timeout and
        /// the garbage storm.</param>
        internal ReaderLine(IBytePort port, FrameDeframer deframer, ReaderCounters counters, ReaderDriverOptions options)
        {
            this.port = port;
            _deframer = deframer;
            _counters = counters;
            _rates = options.BaudRates;
            lineRate = options.LineBaudRate;
            _behindBytes = options.BehindBytes;
            _interByteTimeout = options.InterByteTimeoutMicros;
            _garbageWindow = options.GarbageWindowMicros;
            _garbageStorm = options.GarbageStormBytes;
        }

        /// <summary>Gets the baud rate used now: the line speed once the module moved there, else the one probed.</summary>
        /// <returns>Bits per second.</returns>
        internal int BaudRate()
        {
            return _lineBaud != 0 ? _lineBaud : RateAt(_probe);
        }

        /// <summary>Opens the port at the speed probed, unless it is open.</summary>
        /// <returns><c>true</c> when the port is open.</returns>
        internal bool Open()
        {
            if (port.IsOpen)
            {
                return true;
            }

            try
            {
                UseRate(RateAt(_probe));
                port.Open();
                return port.IsOpen;
            }
            catch (Exception)
            {
                _counters.portErrors++;
                return false;
            }
        }

        /// <summary>Starts a configuration: the speed probed, nothing held, the arrival stamps and garbage window at now.</summary>
        /// <param name="now">The local time, µs.</param>
        internal void Begin(long now)
        {
            UseRate(RateAt(_probe));
            port.DiscardInput();
            _deframer.Reset();
            _lastByteMicros = now;
            _drainedMicros = now;
            _windowEndMicros = now + _garbageWindow;
            _windowStartSkipped = _deframer.skippedBytes;
        }

        /// <summary>Probes the next speed at the next configuration (the module never answered sensibly).</summary>
        internal void NextProbe()
        {
            // The speeds walked: the configured ones, then the line speed, where a module that was moved to it and
            // not power-cycled since is still found.
            int count = _rates.Length;
            if (lineRate > 0)
            {
                count++;
                for (int i = 0; i < _rates.Length; i++)
                {
                    if (_rates[i] == lineRate)
                    {
                        count--;
                        break;
                    }
                }
            }

            _probe = (_probe + 1) % count;
        }

        /// <summary>Moves the port to the line speed after the module accepted the command to go there.</summary>
        /// <returns><c>false</c> when the port failed (counted).</returns>
        internal bool MoveToLineSpeed()
        {
            try
            {
                port.BaudRate = lineRate;
                _lineBaud = lineRate;
                _nanosPerByte = 10000000000L / lineRate;
                port.DiscardInput();
                _deframer.Reset();
                return true;
            }
            catch (Exception)
            {
                _counters.portErrors++;
                return false;
            }
        }

        /// <summary>Sends a command.</summary>
        /// <param name="buffer">Frame bytes.</param>
        /// <param name="length">Frame length.</param>
        /// <returns><c>true</c> when the port took it; <c>false</c> when it failed (counted).</returns>
        internal bool Send(byte[] buffer, int length)
        {
            try
            {
                port.Write(buffer, 0, length);
                return true;
            }
            catch (Exception)
            {
                _counters.portErrors++;
                return false;
            }
        }

        /// <summary>
        /// Drains what has arrived into the deframer (frames go to its sink before this returns) and notes the
        /// backlog (the bytes one poll finds waiting tell whether the core keeps up with the line); then, unless a
        /// frame took the driver out of <see cref="receiving"/>, flushes what is held after an inter-byte timeout
        /// and watches the garbage window.
        /// </summary>
        /// <param name="now">The local time of the poll, µs.</param>
        /// <returns><see cref="ReaderRestartReason.PortError"/> when the port failed to read (counted),
        /// <see cref="ReaderRestartReason.GarbageStorm"/>, or <see cref="ReaderRestartReason.None"/>.</returns>
        internal ReaderRestartReason Receive(long now)
        {
            FrameDeframer deframer = _deframer;
            _pollStartBytes = deframer.bytesFed;
            if (receiving)
            {
                int first;
                try
                {
                    first = port.Read(_receive, 0, ReceiveChunk);
                }
                catch (Exception)
                {
                    _counters.portErrors++;
                    _drainedMicros = now;
                    _counters.backlogBytes = 0;
                    behind = false;
                    return ReaderRestartReason.PortError;
                }

                if (first <= 0)
                {
                    // An empty poll (an idle line's every poll, ~half the IL of the full path): nothing was fed, so
                    // no frame, no skipped byte and no backlog is new; only what is held may have waited long enough.
                    _drainedMicros = now;
                    _counters.backlogBytes = 0;
                    behind = false;
                    if (deframer.HeldBytes > 0 && now - _lastByteMicros >= _interByteTimeout)
                    {
                        deframer.Flush();
                        SyncCounters();
                        return receiving ? GarbageCheck(now, deframer) : ReaderRestartReason.None;
                    }

                    if (now >= _windowEndMicros)
                    {
                        _windowEndMicros = now + _garbageWindow;
                        _windowStartSkipped = deframer.skippedBytes;
                    }

                    return ReaderRestartReason.None;
                }

                return ReceiveMore(now, first);
            }

            _drainedMicros = now;
            _counters.backlogBytes = 0;
            behind = false;
            return ReaderRestartReason.None;
        }

        // The full path: the first read brought n bytes; the port is read until it is drained.
        private ReaderRestartReason ReceiveMore(long now, int n)
        {
            FrameDeframer deframer = _deframer;
            byte[] receive = _receive;
            ReaderCounters counters = _counters;
            bool ok = true;
            long polled = 0;
            while (true)
            {
                counters.bytesReceived += n;
                _lastByteMicros = now;
                polled += n;

                // Behind (a backlog last poll, or already this one): the reads of well-read chips go unchecked.
                deframer.prefilter = thinning != null && (behind || polled >= _behindBytes) ? thinning : null;
                deframer.Feed(receive, 0, n);
                SyncCounters();
                if (n < ReceiveChunk || !receiving)
                {
                    // Fewer bytes than asked for: the port is drained; what comes meanwhile waits for the next poll.
                    break;
                }

                try
                {
                    n = port.Read(receive, 0, ReceiveChunk);
                }
                catch (Exception)
                {
                    counters.portErrors++;
                    ok = false;
                    break;
                }

                if (n <= 0)
                {
                    break;
                }
            }

            _drainedMicros = now;
            counters.backlogBytes = polled;
            if (polled > counters.maxBacklogBytes)
            {
                counters.maxBacklogBytes = polled;
            }

            behind = polled >= _behindBytes;
            if (behind)
            {
                counters.pollsBehind++;
            }

            if (!ok)
            {
                return ReaderRestartReason.PortError;
            }

            if (now - _lastByteMicros >= _interByteTimeout && receiving && deframer.HeldBytes > 0)
            {
                // Quiet for longer than a frame takes: what is held is complete (see FrameDeframer.Flush).
                deframer.Flush();
                SyncCounters();
            }

            if (!receiving)
            {
                return ReaderRestartReason.None;
            }

            return GarbageCheck(now, deframer);
        }

        // A new garbage window, or too many bytes skipped in this one.
        private ReaderRestartReason GarbageCheck(long now, FrameDeframer deframer)
        {
            if (now >= _windowEndMicros)
            {
                _windowEndMicros = now + _garbageWindow;
                _windowStartSkipped = deframer.skippedBytes;
            }
            else if (deframer.skippedBytes - _windowStartSkipped >= _garbageStorm)
            {
                return ReaderRestartReason.GarbageStorm;
            }

            return ReaderRestartReason.None;
        }

        /// <summary>
        /// Tells when the frame being delivered began to arrive. Bytes come in one after another at the line speed,
        /// so the bytes around the frame bound its start: a frame that was still coming in when the previous poll
        /// drained the port went on from there at line speed, which fixes its start; a frame that arrived whole
        /// within this poll started after the bytes before it and early enough for the bytes after it to arrive by
        /// now, and the middle of that window is the unbiased guess. Stamping at the poll instead would make reads
        /// late by the frame's wire time (2-4 ms at 115200 baud) plus half a poll interval on average.
        /// </summary>
        /// <param name="now">The local time of the poll, µs.</param>
        /// <returns>The local time, µs.</returns>
        internal long FrameStartMicros(long now)
        {
            long nanosPerByte = _nanosPerByte;
            FrameDeframer deframer = _deframer;
            long fed = deframer.bytesFed;
            long frame = deframer.frameOffset;
            if (frame > fed || fed - frame > FrameDeframer.BufferSize)
            {
                return now;
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
            long latest = now - (((fed - frame) * nanosPerByte) / 1000);
            return latest <= earliest ? latest : earliest + ((latest - earliest) / 2);
        }

        private int RateAt(int index)
        {
            return index < _rates.Length ? _rates[index] : lineRate;
        }

        private void UseRate(int baud)
        {
            port.BaudRate = baud;
            _nanosPerByte = 10000000000L / baud;
            _lineBaud = 0;
        }

        private void SyncCounters()
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
    }
}
