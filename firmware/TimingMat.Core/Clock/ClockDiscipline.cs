using TimingMat.Core.Common;

namespace TimingMat.Core.Clock
{
    /// <summary>
    /// The discipline of a <see cref="MatClock"/>: takes each PPS edge once its NMEA burst is over, numbers it on the
    /// chain, lets its label vote, fits the line under the window and runs the lock/holdover state machine that
    /// publishes the line as the clock's model.
    /// </summary>
    /// <remarks>
    /// The clock's poll and conversions read the state here directly (fields, not properties: a property is a call on
    /// the device); everything here runs about once a second, when an edge is committed or the fit finishes. The clock
    /// keeps the flags of the fit's two halves itself, as its poll reads them every time.
    /// </remarks>
    internal sealed class ClockDiscipline
    {
        // An edge this much earlier than the locked line predicts (beyond its uncertainty) is a glitch: handlers are never early.
        private const long EarlyEdgeMarginMicros = 2000;

        // A new chain after a gap keeps the old numbering only while the clock is this sure of the second.
        private const long RenumberLimitMicros = 300000;

        private const long Micros = UtcCalendar.MicrosPerSecond;

        /// <summary>Frequency errors beyond this (ppb) are not a crystal: a fit that young is not used for edge spacing, nor a saved one restored.</summary>
        internal const long PlausibleDriftPpb = 200000;

        /// <summary>The published model (what conversions use).</summary>
        internal readonly ClockModel Model;

        /// <summary>What the labels said about the numbering (leap second, last agreed second).</summary>
        internal readonly SecondLabels Labels;

        /// <summary>The frequency known before a holdover or a reboot, bounding the young window's slope.</summary>
        internal readonly FrequencyPrior Prior;

        /// <summary>The clock's state.</summary>
        internal ClockState State;

        /// <summary>Whether <see cref="Model"/> holds a published line.</summary>
        internal bool HasModel;

        /// <summary>Local µs of the first stamp of the window that locked: stamps before it are extrapolated back.</summary>
        internal long LockedSinceLocal;

        /// <summary>Local µs of the last stamp before the holdover.</summary>
        internal long HoldoverSinceLocal;

        /// <summary>Local µs of the last committed edge: no commit for a while means holdover.</summary>
        internal long LastCommittedLocal;

        /// <summary>Edges used by the fit.</summary>
        internal int EdgesCommitted;

        /// <summary>Edges refused (the clock adds those refused on arrival).</summary>
        internal int EdgesRejected;

        /// <summary>Edges not used for want of a fix.</summary>
        internal int EdgesUnconfirmed;

        /// <summary>Locks, from cold and after each holdover.</summary>
        internal int LockCount;

        /// <summary>Holdovers.</summary>
        internal int HoldoverCount;

        /// <summary>Local µs of the last edge the fit used.</summary>
        internal long LastEdgeLocalMicros;

        /// <summary>Number of the last edge the fit used.</summary>
        internal long LastEdgeSecond;

        private readonly MatClockSettings _settings;
        private readonly LowerEnvelopeFit _fit;
        private readonly ClockModel _heldModel;
        private readonly PendingEdge _pending;
        private readonly EdgeChain _chain;
        private readonly long _holdoverDrift;

        // Read at every commit, taken once (a property is a call on the device).
        private readonly int _relockEdges;

        /// <summary>Initializes a new instance of the <see cref="ClockDiscipline"/> class.</summary>
        /// <param name="settings">The clock's settings, checked.</param>
        /// <param name="pending">The edge waiting for its burst, committed from here.</param>
        internal ClockDiscipline(MatClockSettings settings, PendingEdge pending)
        {
            _settings = settings;
            _pending = pending;
            _holdoverDrift = settings.HoldoverDriftPpb;
            _relockEdges = settings.RelockEdges;
            Model = new ClockModel(settings.BaseUncertaintyMicros, settings.HoldoverDriftPpb);
            _heldModel = new ClockModel(settings.BaseUncertaintyMicros, settings.HoldoverDriftPpb);
            _fit = new LowerEnvelopeFit(settings.WindowEdges);
            Prior = new FrequencyPrior(settings.WindowEdges);
            _chain = new EdgeChain(settings.WindowRestartGapMicros, settings.EdgeToleranceMicros);
            Labels = new SecondLabels(settings.JumpConfirmLabels);
        }

        /// <summary>Forgets everything measured (the local counter restarted).</summary>
        internal void Reset()
        {
            HasModel = false;
            _chain.Clear();
            Labels.Clear();
            Prior.Active = false;
            LockedSinceLocal = 0;
            _fit.Clear();
            State = ClockState.Unsynced;
        }

        /// <summary>
        /// Commits the pending edge: numbers it, lets its label vote, adds it to the fit and solves the line (the fit's
        /// second half, <see cref="FinishFit"/>, is the caller's to run at the next poll; a previous one must have run).
        /// </summary>
        /// <returns><c>true</c> when a line was solved and <see cref="FinishFit"/> is due.</returns>
        internal bool Commit()
        {
            PendingEdge pending = _pending;
            pending.Active = false;
            long local = pending.Local;
            if (pending.NoFix)
            {
                // The burst says the receiver has no fix: its PPS (if any) free-runs and must not steer the clock.
                EdgesUnconfirmed++;
                return false;
            }

            bool confirmed = pending.Fix;
            EdgeChain chain = _chain;
            if (!confirmed && !(State == ClockState.Locked && chain.HasConfirmed && local - chain.LastConfirmedLocal <= _settings.UnconfirmedBridgeMicros))
            {
                EdgesUnconfirmed++;
                return false;
            }

            long index;
            long perSecond = Micros + (SpacingDriftPpb() / 1000);
            int placed = chain.Place(local, perSecond, out index);
            if (placed == EdgeChain.Refused || (placed == EdgeChain.Follows && EarlierThanExpected(local, perSecond)))
            {
                EdgesRejected++;
                return false;
            }

            if (placed != EdgeChain.Follows)
            {
                if (placed == EdgeChain.RestartsAfterMisfits)
                {
                    // Three misfits in a row: this one is counted refused, yet the previous edge was the odd one.
                    EdgesRejected++;
                }

                index = StartChain(local);
            }

            chain.Commit(local, index, confirmed);
            LastCommittedLocal = local;
            _fit.Add(index, local);
            EdgesCommitted++;
            LastEdgeLocalMicros = local;
            LastEdgeSecond = index;
            if (confirmed && !pending.Conflict)
            {
                long jump = Labels.Take(pending, index, State == ClockState.Locked);
                if (jump != 0)
                {
                    Renumber(jump);
                }
            }

            if (Labels.LeapKnown && State == ClockState.Locked && _fit.FirstSecond > Labels.LeapIndex + 1)
            {
                // Every stamp in the window is past the leap second: count seconds as POSIX again.
                Labels.LeapKnown = false;
                Renumber(-1);
            }

            // The line now, the spacing and the model at the next poll (or the next commit): the whole fit in one
            // poll is ~21k IL instructions on the interpreter, ~8 ms, every second. Locked, the line is solved at
            // every edge and the spacing (only the published uncertainty's scale) at every fourth.
            _fit.KeepSpacing = State == ClockState.Locked && (EdgesCommitted & 3) != 0;
            return Prior.SolveLine(_fit);
        }

        /// <summary>Runs the fit's second half (the spacing), then publishes the line or tries to lock.</summary>
        internal void FinishFit()
        {
            _fit.FinishSpacing();
            if (State == ClockState.Locked)
            {
                Model.Publish(_fit, Prior.TolerancePpb);
            }
            else
            {
                TryLock();
            }
        }

        /// <summary>Gives whether a stamp comes earlier than the locked line allows: a glitch, as handlers are never early.</summary>
        /// <param name="local">The stamp's local µs.</param>
        /// <returns><c>true</c> for a glitch.</returns>
        internal bool EarlierThanExpected(long local)
        {
            return EarlierThanExpected(local, Micros + (SpacingDriftPpb() / 1000));
        }

        // The same with the local µs per second already known (the commit has just worked it out for the chain).
        private bool EarlierThanExpected(long local, long perSecond)
        {
            if (State != ClockState.Locked || !_chain.Active || local <= _chain.LastLocal)
            {
                return false;
            }

            long index = _chain.LastIndex + FixedPoint.DivRound(local - _chain.LastLocal, perSecond);
            return local < Model.Line.LocalAt(index) - Model.UncertaintyAt(local) - EarlyEdgeMarginMicros;
        }

        private long StartChain(long local)
        {
            _fit.Clear();
            Labels.ClearVotes();
            if (State == ClockState.Locked)
            {
                // The window is gone, so the line is no longer being checked: run on it as holdover until relocked.
                EnterHoldover();
            }

            if (HasModel && Labels.IndexIsTimeline && Model.UncertaintyAt(local) < RenumberLimitMicros)
            {
                return FixedPoint.DivRound(Model.Line.TimelineMicrosAt(local), Micros);
            }

            Labels.IndexIsTimeline = false;
            Labels.LeapKnown = false;
            return 0;
        }

        private void TryLock()
        {
            int edges = Prior.Active ? _settings.RelockEdges : _settings.LockEdges;
            if (Labels.Votes < _settings.LockLabels || _fit.Count < edges || _fit.LastSecond - _fit.FirstSecond <= 0)
            {
                return;
            }

            long offset = Labels.VoteOffset;
            Model.Publish(_fit, Prior.TolerancePpb);
            HasModel = true;
            if (Model.UncertaintyAt(_fit.LastLocalMicros + Micros) > _settings.LockUncertaintyMicros)
            {
                if (State == ClockState.Unsynced)
                {
                    HasModel = false;
                }
                else
                {
                    // Still in holdover: the published line must stay the one from before the outage.
                    Model.CopyFrom(_heldModel);
                }

                return;
            }

            if (offset != 0)
            {
                Renumber(offset);
                Model.Line.Renumber(offset);
            }

            Labels.IndexIsTimeline = true;
            Labels.ClearVotes();
            State = ClockState.Locked;
            LockCount++;
            LockedSinceLocal = _fit.FirstLocalMicros;
        }

        /// <summary>Goes into holdover: the published line runs on, the prior holds its frequency for the relock.</summary>
        internal void EnterHoldover()
        {
            State = ClockState.Holdover;
            HoldoverCount++;
            HoldoverSinceLocal = Model.LastLocal;
            Labels.ClearVotes();
            Prior.Restore(Model.Line.FrequencyErrorPpb, _holdoverDrift + Model.SigmaPpb);
            _heldModel.CopyFrom(Model);
        }

        private void Renumber(long seconds)
        {
            _fit.Renumber(seconds);
            Labels.Renumber(seconds);
            _chain.LastIndex += seconds;
            LastEdgeSecond += seconds;
            if (State == ClockState.Locked)
            {
                Model.Line.Renumber(seconds);
            }
        }

        private long SpacingDriftPpb()
        {
            long ppb = 0;
            if (_fit.Count >= _relockEdges)
            {
                ppb = _fit.Fitted.FrequencyErrorPpb;
            }
            else if (HasModel)
            {
                ppb = Model.Line.FrequencyErrorPpb;
            }

            return FixedPoint.Abs(ppb) > PlausibleDriftPpb ? 0 : ppb;
        }

        /// <summary>Gives the state a stamp is reported in when converted.</summary>
        /// <param name="local">The stamp's local µs.</param>
        /// <returns>Locked, or Holdover for stamps before the lock or well into a holdover.</returns>
        internal ClockState StateAt(long local)
        {
            if (local < LockedSinceLocal - Micros)
            {
                // Taken before the clock locked: converted by extrapolating the line backwards.
                return ClockState.Holdover;
            }

            if (State == ClockState.Holdover && local > HoldoverSinceLocal + (Micros * 3 / 2))
            {
                return ClockState.Holdover;
            }

            return ClockState.Locked;
        }
    }
}
