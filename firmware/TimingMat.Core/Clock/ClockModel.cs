using TimingMat.Core.Common;

namespace TimingMat.Core.Clock
{
    /// <summary>
    /// A line as the mat clock publishes it: the fitted <see cref="ClockLine"/>, the window it came from and the terms
    /// of its uncertainty. The clock keeps two, allocated at start: the live one that conversions use, and the one held
    /// from before a holdover, put back when a relock attempt is not yet sure enough.
    /// </summary>
    internal sealed class ClockModel
    {
        // Uncertainty terms in units of the fit's spacing of quick handler runs (see Publish).
        private const long OffsetDoubtSpacings = 4;
        private const long SlopeDoubtPerSpacing = 20;

        /// <summary>The line local µs ↔ timeline µs. A field, as are the terms: every conversion reads them (a property is a call on the device).</summary>
        internal readonly ClockLine Line = new ClockLine();

        /// <summary>Local µs of the first stamp of the window the line came from.</summary>
        internal long FirstLocal;

        /// <summary>Local µs of the last stamp of that window: outside the window the crystal may have moved.</summary>
        internal long LastLocal;

        /// <summary>Local µs at the middle of the stamps that set the slope: the slope's doubt grows from there.</summary>
        internal long MidLocal;

        /// <summary>The fit's spacing of quick handler runs, µs (<see cref="LowerEnvelopeFit.SpacingMicros"/>).</summary>
        internal long Spacing;

        /// <summary>The doubt on the line's frequency, ppb.</summary>
        internal long SigmaPpb;

        private readonly long _baseUncertainty;
        private readonly long _holdoverDrift;

        /// <summary>Initializes a new instance of the <see cref="ClockModel"/> class.</summary>
        /// <param name="baseUncertaintyMicros">The uncertainty floor (<see cref="MatClockSettings.BaseUncertaintyMicros"/>).</param>
        /// <param name="holdoverDriftPpb">How fast the crystal may move outside the window (<see cref="MatClockSettings.HoldoverDriftPpb"/>).</param>
        internal ClockModel(long baseUncertaintyMicros, long holdoverDriftPpb)
        {
            _baseUncertainty = baseUncertaintyMicros;
            _holdoverDrift = holdoverDriftPpb;
        }

        /// <summary>Copies another model into this one (no allocation).</summary>
        /// <param name="other">The model to copy.</param>
        internal void CopyFrom(ClockModel other)
        {
            Line.CopyFrom(other.Line);
            FirstLocal = other.FirstLocal;
            LastLocal = other.LastLocal;
            MidLocal = other.MidLocal;
            Spacing = other.Spacing;
            SigmaPpb = other.SigmaPpb;
        }

        /// <summary>Takes the fit's line, window and spacing.</summary>
        /// <param name="fit">The fit after its spacing is finished.</param>
        /// <param name="boundedSigmaPpb">The frequency doubt when the fit's slope came from the prior: the prior's tolerance.</param>
        internal void Publish(LowerEnvelopeFit fit, long boundedSigmaPpb)
        {
            Line.CopyFrom(fit.Fitted);
            FirstLocal = fit.FirstLocalMicros;
            LastLocal = fit.LastLocalMicros;
            Spacing = fit.Spacing;
            long run = fit.Run > 0 ? fit.Run : 1;
            MidLocal = Line.LocalAt(fit.Middle);
            if (fit.Bounded)
            {
                // The slope came from the prior: it is as good as the prior's tolerance.
                SigmaPpb = boundedSigmaPpb;
            }
            else
            {
                // The stamps that set the slope each sit some spacings above their edges. Calibrated on simulated
                // windows (heavy and uniform latency): about 1 % of stamps fall outside the bound at 20–30 stamps,
                // under 0.2 % from 128 on (none in the clock benchmark).
                SigmaPpb = FixedPoint.DivRound(Spacing * SlopeDoubtPerSpacing * 1000, run);
            }
        }

        /// <summary>Gives how far the true time at a local µs may be from the line.</summary>
        /// <param name="local">The local µs (extended across wraps).</param>
        /// <returns>The uncertainty, µs.</returns>
        internal long UncertaintyAt(long local)
        {
            // Inside the window: how far the touching stamps may sit above the edges, plus the slope's doubt away
            // from the line's middle. Outside it: the crystal may also have moved (holdover drift).
            long outside = 0;
            if (local > LastLocal)
            {
                outside = local - LastLocal;
            }
            else if (local < FirstLocal)
            {
                outside = FirstLocal - local;
            }

            long fromMiddle = FixedPoint.Abs(local - MidLocal);
            return _baseUncertainty + (OffsetDoubtSpacings * Spacing)
                + FixedPoint.MulDiv(fromMiddle, SigmaPpb, 1000000000)
                + FixedPoint.MulDiv(outside, _holdoverDrift, 1000000000);
        }
    }
}
