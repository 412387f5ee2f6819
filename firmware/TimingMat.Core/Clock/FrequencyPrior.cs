namespace TimingMat.Core.Clock
{
    /// <summary>
    /// The crystal's frequency known before the window could measure it: from before a holdover, or saved on flash
    /// before a reboot. Until the window spans enough seconds to measure the slope by itself, the fit's slope is held
    /// within the prior's tolerance, so a young window relocks after a few edges.
    /// </summary>
    internal sealed class FrequencyPrior
    {
        /// <summary>Whether the prior still bounds the fit.</summary>
        internal bool Active;

        /// <summary>The frequency error, ppb.</summary>
        internal long Ppb;

        /// <summary>How far the crystal may have moved from <see cref="Ppb"/>, ppb.</summary>
        internal long TolerancePpb;

        // Seconds the window must span to measure the frequency by itself.
        private readonly long _selfMeasuredSpan;

        /// <summary>Initializes a new instance of the <see cref="FrequencyPrior"/> class.</summary>
        /// <param name="windowEdges">The fit's window (<see cref="MatClockSettings.WindowEdges"/>): half of it measures the slope alone.</param>
        internal FrequencyPrior(int windowEdges)
        {
            _selfMeasuredSpan = windowEdges / 2;
        }

        /// <summary>Starts from a frequency.</summary>
        /// <param name="ppb">The frequency error, ppb.</param>
        /// <param name="tolerancePpb">How far the crystal may have moved since, ppb.</param>
        internal void Restore(long ppb, long tolerancePpb)
        {
            Active = true;
            Ppb = ppb;
            TolerancePpb = tolerancePpb;
        }

        /// <summary>Fits the line under the window, held within the prior while it is active.</summary>
        /// <param name="fit">The fit.</param>
        /// <returns>What <see cref="LowerEnvelopeFit.SolveLine()"/> returns.</returns>
        internal bool SolveLine(LowerEnvelopeFit fit)
        {
            if (Active && fit.LastSecond - fit.FirstSecond >= _selfMeasuredSpan)
            {
                // The window now spans enough seconds to measure the frequency by itself.
                Active = false;
            }

            if (Active)
            {
                return fit.SolveLine(Ppb - TolerancePpb, Ppb + TolerancePpb);
            }

            return fit.SolveLine();
        }
    }
}
