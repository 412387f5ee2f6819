using TimingMat.Core.Clock;
using TimingMat.Core.Journal;
using TimingMat.Core.Passings;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// Holds passings made before the mat clock has UTC (after a cold boot or a power cut) and re-stamps them once it
    /// locks, so a rebooted mat never publishes boot-relative times for runners it timed while its GPS was acquiring.
    /// </summary>
    /// <remarks>
    /// An Unsynced passing carries local µs since boot in its time fields (the <see cref="MatTime"/> contract), and the
    /// local counter runs on until the next reboot, which also empties this RAM gate: so once the clock locks, the same
    /// local times map exactly to UTC. The gate is bounded: when it is full a passing goes on unchanged (flagged by its
    /// Unsynced state) rather than waiting or being dropped. <see cref="ReleaseAll"/> (power failing) sends everything
    /// on as it is so the journal can make it durable.
    /// </remarks>
    public sealed class ClockGate : IPassingSink
    {
        private readonly IMatTimeSource _time;
        private readonly IPassingSink _next;
        private readonly PassingRing _held;

        /// <summary>Initializes a new instance of the <see cref="ClockGate"/> class holding EPCs up to a reader's longest.</summary>
        /// <param name="time">The mat clock.</param>
        /// <param name="next">Where passings go on (the qualifier in front of the ring).</param>
        /// <param name="capacity">Passings held at most (each is a preallocated slot).</param>
        public ClockGate(IMatTimeSource time, IPassingSink next, int capacity)
            : this(time, next, capacity, Reader.TagRead.MaxEpcBytes)
        {
        }

        /// <summary>Initializes a new instance of the <see cref="ClockGate"/> class.</summary>
        /// <param name="time">The mat clock.</param>
        /// <param name="next">Where passings go on (the qualifier in front of the ring).</param>
        /// <param name="capacity">Passings held at most (each is a preallocated slot of <see cref="PassingRing.SlotBytes"/>).</param>
        /// <param name="maxEpcBytes">The longest EPC held: the detector's chip table limit.</param>
        public ClockGate(IMatTimeSource time, IPassingSink next, int capacity, int maxEpcBytes)
        {
            _time = time;
            _next = next;
            _held = new PassingRing(capacity < 2 ? 2 : capacity, maxEpcBytes);
        }

        /// <summary>What a gate of a capacity costs on the device heap.</summary>
        /// <param name="capacity">Passings held at most.</param>
        /// <param name="maxEpcBytes">The longest EPC held.</param>
        /// <returns>Bytes.</returns>
        public static int BytesFor(int capacity, int maxEpcBytes)
        {
            return PassingRing.BytesFor(capacity < 2 ? 2 : capacity, maxEpcBytes);
        }

        /// <summary>Gets the passings waiting for UTC.</summary>
        public int Held
        {
            get { return _held.Count; }
        }

        /// <summary>Gets the passings re-stamped with UTC since start.</summary>
        public int Restamped { get; private set; }

        /// <summary>Gets the passings that went on without UTC because the gate was full or power was failing.</summary>
        public int PassedUnsynced { get; private set; }

        /// <inheritdoc />
        public bool TryAccept(Passing passing)
        {
            if (passing.ClockState != ClockState.Unsynced)
            {
                return _next.TryAccept(passing);
            }

            if (_held.TryAccept(passing))
            {
                return true;
            }

            if (_next.TryAccept(passing))
            {
                PassedUnsynced++;
                return true;
            }

            return false;
        }

        /// <summary>Re-stamps and sends on held passings once the clock has UTC. Call from the unit's loop.</summary>
        /// <returns>The number of passings sent on.</returns>
        public int Poll()
        {
            int sent = 0;
            while (_held.Count > 0)
            {
                // Peek hands out a copy: re-stamping it leaves the held slot as it was if the next sink refuses.
                Passing oldest = _held.Peek();
                MatTime at = _time.ToMatTime(oldest.TimeUtcMicros);
                if (at.State == ClockState.Unsynced)
                {
                    break;
                }

                oldest.TimeUtcMicros = at.UtcMicros;
                oldest.ClockState = at.State;
                oldest.UncertaintyMicros = at.UncertaintyMicros;
                if (oldest.Kind == PassingKind.Crossing)
                {
                    oldest.FirstReadUtcMicros = _time.ToMatTime(oldest.FirstReadUtcMicros).UtcMicros;
                    oldest.LastReadUtcMicros = _time.ToMatTime(oldest.LastReadUtcMicros).UtcMicros;
                }
                else
                {
                    oldest.FirstReadUtcMicros = at.UtcMicros;
                    oldest.LastReadUtcMicros = at.UtcMicros;
                }

                if (!_next.TryAccept(oldest))
                {
                    break;
                }

                _held.Remove();
                Restamped++;
                sent++;
            }

            return sent;
        }

        /// <summary>Sends every held passing on as it is (power failing: durable beats re-stamped).</summary>
        /// <returns><c>true</c> when the gate is empty; <c>false</c> when the next sink refused (call again).</returns>
        public bool ReleaseAll()
        {
            while (_held.Count > 0)
            {
                if (!_next.TryAccept(_held.Peek()))
                {
                    return false;
                }

                _held.Remove();
                PassedUnsynced++;
            }

            return true;
        }
    }
}
