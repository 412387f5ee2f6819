namespace TimingMat.Core.Reader
{
    /// <summary>
    /// The restart policy of a <see cref="ReaderDriver"/>: counts each restart by its reason, moves the line to the
    /// next probe speed when an attempt failed before streaming for lack of an answer or for garbage, and works out
    /// the backoff, which starts at <see cref="ReaderDriverOptions.BackoffInitialMicros"/>, doubles up to
    /// <see cref="ReaderDriverOptions.BackoffMaxMicros"/>, and returns to the start after
    /// <see cref="ReaderDriverOptions.HealthyMicros"/> of streaming. The driver decides when to restart and waits.
    /// </summary>
    internal sealed class ReaderRestarts
    {
        // Fields the driver reads at each poll (a property is a call on the device).
        internal long backoffMicros;
        internal long healthyAtMicros;

        /// <summary>The backoff after a healthy streak.</summary>
        internal readonly long initialMicros;

        /// <summary>Why the module was last restarted.</summary>
        internal ReaderRestartReason lastReason;

        private readonly ReaderCounters _counters;
        private readonly ReaderLine _line;
        private readonly long _maxMicros;
        private readonly long _healthy;
        private bool _reachedReading;

        /// <summary>Initializes a new instance of the <see cref="ReaderRestarts"/> class.</summary>
        /// <param name="counters">The driver's counters.</param>
        /// <param name="line">The line whose probe speed moves on.</param>
        /// <param name="options">The backoff settings.</param>
        internal ReaderRestarts(ReaderCounters counters, ReaderLine line, ReaderDriverOptions options)
        {
            _counters = counters;
            _line = line;
            initialMicros = options.BackoffInitialMicros;
            _maxMicros = options.BackoffMaxMicros;
            _healthy = options.HealthyMicros;
            backoffMicros = initialMicros;
        }

        /// <summary>Records that an attempt starts (the module may be at another speed until it streams).</summary>
        internal void Attempt()
        {
            _reachedReading = false;
        }

        /// <summary>Records that the module streams: the healthy streak starts, and its speed is known good.</summary>
        /// <param name="now">The local time, µs.</param>
        internal void Streaming(long now)
        {
            _reachedReading = true;
            healthyAtMicros = now + _healthy;
        }

        /// <summary>Counts a restart and, when the module never streamed and never answered sensibly, probes the next speed.</summary>
        /// <param name="reason">Why.</param>
        internal void Count(ReaderRestartReason reason)
        {
            _counters.CountRestart(reason);
            if (!_reachedReading && (reason == ReaderRestartReason.ResponseTimeout || reason == ReaderRestartReason.GarbageStorm))
            {
                _line.NextProbe();
            }
        }

        /// <summary>Starts a backoff: records the reason and returns the wait; the next one is twice as long, to the maximum.</summary>
        /// <param name="reason">Why.</param>
        /// <returns>The wait before configuring again, µs.</returns>
        internal long Backoff(ReaderRestartReason reason)
        {
            lastReason = reason;
            _reachedReading = false;
            long wait = backoffMicros;
            backoffMicros = wait * 2 > _maxMicros ? _maxMicros : wait * 2;
            return wait;
        }
    }
}
