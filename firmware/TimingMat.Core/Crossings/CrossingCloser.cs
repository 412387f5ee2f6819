using TimingMat.Core.Clock;
using TimingMat.Core.Passings;

namespace TimingMat.Core.Crossings
{
    /// <summary>
    /// Ends an open crossing: times it the detection mode's way (the peak fit of its kept reads, else its strongest
    /// reads; or its first or last read), queues its passing (two for First and last), starts the chip's dead time and
    /// frees the slot. Holds no buffers of its own beyond the <see cref="PeakFit"/>'s; queueing a passing fills a
    /// preallocated record.
    /// </summary>
    internal sealed class CrossingCloser
    {
        // No second passing (every mode but FirstAndLast).
        private const long NoTime = long.MinValue;

        /// <summary>Peak-mode passings timed at the strongest read because the fit failed.</summary>
        internal long FitFallbacks;

        /// <summary>Crossings closed early because the chip table or the open crossings were full.</summary>
        internal long CapacityClosed;

        /// <summary>Passings (and records queued by the detector) put in the queue.</summary>
        internal long Queued;

        private readonly CrossingSettings _settings;
        private readonly DetectionMode _mode;
        private readonly bool _peak;
        private readonly bool _continuous;
        private readonly long _reaction;
        private readonly long _stray;
        private readonly long _interval;
        private readonly int _minFitReads;
        private readonly IMatTimeSource _time;
        private readonly ChipTable _table;
        private readonly TrackedChips _chips;
        private readonly OpenCrossings _slots;
        private readonly KeptReadStore _store;
        private readonly PassingQueue _queue;
        private readonly PeakFit _fit;

        /// <summary>Initializes a new instance of the <see cref="CrossingCloser"/> class over the detector's tables.</summary>
        /// <param name="settings">Mode, fit settings and the unit id the passings carry.</param>
        /// <param name="time">Converts local µs to mat time.</param>
        /// <param name="table">The chips' EPCs.</param>
        /// <param name="chips">The chips' state: a closed crossing starts its chip's dead time.</param>
        /// <param name="slots">The open crossings.</param>
        /// <param name="store">Their kept reads.</param>
        /// <param name="queue">Where the passings wait for the sink.</param>
        internal CrossingCloser(CrossingSettings settings, IMatTimeSource time, ChipTable table, TrackedChips chips, OpenCrossings slots, KeptReadStore store, PassingQueue queue)
        {
            _settings = settings;
            _mode = settings.Mode;
            _peak = _mode == DetectionMode.Peak;
            _continuous = _mode == DetectionMode.Continuous;
            _reaction = settings.ReactionMicros;
            _stray = settings.StrayMicros;
            _interval = settings.ContinuousIntervalMicros;
            _minFitReads = settings.MinFitReads;
            _time = time;
            _table = table;
            _chips = chips;
            _slots = slots;
            _store = store;
            _queue = queue;
            _fit = new PeakFit(settings.SamplesPerCrossing, settings.MinFitReads, settings.OutlierPasses, settings.OutlierTenthsOfSigma, settings.FitSpanCentiDb);
            _fit.BodyShadowCentiDb = settings.BodyShadowCentiDb;
        }

        /// <summary>
        /// Closes the open crossings whose window has passed (in Continuous mode, also queues the passings of intervals
        /// that ended), in slot order, running at most one peak fit: a further crossing due for a fit is decided now and
        /// closes at the next poll, so a poll stays short on the device.
        /// </summary>
        /// <param name="localMicros">The unit's local time now, in µs.</param>
        /// <returns>The earliest local time an open crossing may close next (<see cref="long.MinValue"/>: at the next poll).</returns>
        internal long CloseDue(long localMicros)
        {
            long next = long.MaxValue;
            bool fitted = false;
            bool continuous = _continuous;
            bool peak = _peak;
            long reaction = _reaction;
            int stray = (int)_stray;
            OpenCrossings slots = _slots;
            short[] open = slots.Open;
            short[] slotChip = slots.Chip;
            bool[] closing = slots.Closing;
            bool[] lingering = slots.Lingering;
            bool[] strays = slots.Stray;
            int[] lastRead = _chips.LastRead;
            int[] presence = _chips.Presence;
            long epochReaction = _chips.Epoch + reaction;
            for (int k = 0; k < slots.OpenCount; k++)
            {
                int s = open[k];
                if (!closing[s])
                {
                    int chip = slotChip[s];
                    int lastAt = lastRead[chip];
                    if (lastAt - presence[chip] >= stray)
                    {
                        // Read without a gap for longer than the stray limit: a chip standing in the field.
                        lingering[s] = true;
                        strays[s] = true;
                    }

                    long goneAt = epochReaction + lastAt;
                    long dueAt;
                    if (continuous)
                    {
                        if (localMicros < goneAt && slots.Hits[s] > 0)
                        {
                            long intervalAt = slots.First[s] + _interval;
                            if (localMicros >= intervalAt)
                            {
                                if (_queue.Free == 0)
                                {
                                    next = long.MinValue;
                                    break;
                                }

                                EmitInterval(s);
                                continue;
                            }

                            next = intervalAt < next ? intervalAt : next;
                        }

                        dueAt = goneAt;
                    }
                    else if (peak && !lingering[s])
                    {
                        dueAt = slots.LastPeak[s] + reaction;
                    }
                    else
                    {
                        dueAt = goneAt;
                    }

                    if (localMicros < dueAt)
                    {
                        next = dueAt < next ? dueAt : next;
                        continue;
                    }
                }

                if (peak && !strays[s] && _store.Kept[s] >= _minFitReads)
                {
                    if (fitted)
                    {
                        // One fit a poll: this crossing is decided now and closes at the next poll.
                        closing[s] = true;
                        next = long.MinValue;
                        continue;
                    }

                    fitted = true;
                }

                if (!Close(s, PassingFlags.None))
                {
                    // The queue is full: the rest waits for the next poll.
                    next = long.MinValue;
                    break;
                }

                // Close took the slot out of the list: the next one moved into this place.
                k--;
            }

            return next;
        }

        /// <summary>Closes a crossing: queues its passing (none when it has no reads) and frees its slot.</summary>
        /// <param name="slot">The crossing's slot.</param>
        /// <param name="flags">Flags for its passing (<see cref="PassingFlags.CapacityClosed"/> when closed early for room).</param>
        /// <returns><c>true</c> when closed; <c>false</c> when the passing queue has no room (the crossing stays open).</returns>
        internal bool Close(int slot, PassingFlags flags)
        {
            OpenCrossings slots = _slots;
            if (slots.Hits[slot] == 0)
            {
                Release(slot);
                return true;
            }

            long time;
            long second = NoTime;
            if (_mode == DetectionMode.Peak)
            {
                long apex;
                KeptReadStore store = _store;
                if (slots.Stray[slot])
                {
                    // A chip standing in the field has no single peak; its strongest read is as good a time as any.
                    time = slots.StrongestReadTime(slot);
                }
                else if (store.Kept[slot] >= _minFitReads && _fit.TryFit(store.GatheredTime, store.GatheredRssi, store.GatheredAntenna, store.GatheredWeight, 0, store.Gather(slot), out apex))
                {
                    time = slots.Base[slot] + apex;
                }
                else
                {
                    time = slots.StrongestReadTime(slot);
                    FitFallbacks++;
                }
            }
            else if (_mode == DetectionMode.Last)
            {
                time = slots.Last[slot];
            }
            else if (_mode == DetectionMode.Continuous)
            {
                time = slots.StrongestReadTime(slot);
            }
            else
            {
                time = slots.First[slot];
                if (_mode == DetectionMode.FirstAndLast && slots.Last[slot] != slots.First[slot])
                {
                    second = slots.Last[slot];
                }
            }

            if (_queue.Free < (second == NoTime ? 1 : 2))
            {
                return false;
            }

            if (slots.Stray[slot])
            {
                flags |= PassingFlags.Stray;
            }

            if ((flags & PassingFlags.CapacityClosed) != 0)
            {
                CapacityClosed++;
            }

            int chip = slots.Chip[slot];
            Emit(slot, chip, time, flags);
            if (second != NoTime)
            {
                Emit(slot, chip, second, flags);
            }

            _chips.LastPassing[chip] = _chips.Stored(time);
            Release(slot);
            return true;
        }

        /// <summary>Queues a Continuous-mode passing for the interval that ended (the caller checked the queue has room); the crossing stays open.</summary>
        /// <param name="slot">The crossing's slot.</param>
        internal void EmitInterval(int slot)
        {
            OpenCrossings slots = _slots;
            Emit(slot, slots.Chip[slot], slots.StrongestReadTime(slot), slots.Stray[slot] ? PassingFlags.Stray : PassingFlags.None);
            slots.Hits[slot] = 0;
        }

        private void Emit(int slot, int chip, long time, PassingFlags flags)
        {
            OpenCrossings slots = _slots;
            Passing passing = _queue.Reserve();
            passing.Kind = PassingKind.Crossing;
            passing.UnitId = _settings.UnitId;
            passing.EpcLength = _table.CopyEpc(chip, passing.Epc);
            MatTime at = _time.ToMatTime(time);
            passing.TimeUtcMicros = at.UtcMicros;
            passing.ClockState = at.State;
            passing.UncertaintyMicros = at.UncertaintyMicros;
            passing.FirstReadUtcMicros = _time.ToMatTime(slots.First[slot]).UtcMicros;
            passing.LastReadUtcMicros = _time.ToMatTime(slots.Last[slot]).UtcMicros;
            passing.Hits = slots.Hits[slot];
            passing.MaxRssiCentiDbm = slots.MaxRssi[slot];
            passing.BestAntenna = slots.BestAntenna[slot];
            passing.Flags = flags;
            _queue.Commit();
            Queued++;
        }

        // Frees the slot (and its kept reads) and queues its chip as idle, its dead time running.
        private void Release(int slot)
        {
            if (_peak)
            {
                _store.Release(slot);
            }

            int chip = _slots.Chip[slot];
            _chips.Crossing[chip] = -1;
            _slots.Release(slot);
            _chips.QueueIdle(chip);
        }
    }
}
