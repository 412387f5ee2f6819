namespace TimingMat.Core.Common
{
    /// <summary>
    /// Integer helpers for the clock's µs arithmetic. The device has no 128-bit integers and does Math in single
    /// precision, so products that could pass 2^63 are split before dividing.
    /// </summary>
    internal static class FixedPoint
    {
        /// <summary>Gives the absolute value of a long (nanoFramework has no <c>Math.Abs(long)</c>).</summary>
        /// <param name="value">The value.</param>
        /// <returns>|value|.</returns>
        public static long Abs(long value)
        {
            return value < 0 ? -value : value;
        }

        /// <summary>Divides, rounding to the nearest integer (halves away from zero).</summary>
        /// <param name="numerator">The dividend.</param>
        /// <param name="denominator">The divisor; positive.</param>
        /// <returns>numerator / denominator, rounded.</returns>
        public static long DivRound(long numerator, long denominator)
        {
            long half = denominator / 2;
            return numerator >= 0 ? (numerator + half) / denominator : (numerator - half) / denominator;
        }

        /// <summary>
        /// Computes value × multiplier / divisor, rounded, without the intermediate product: exact when
        /// divisor × |multiplier| fits in a long (the clock keeps both below 2^41).
        /// </summary>
        /// <param name="value">The value, e.g. µs since the clock's anchor (any size).</param>
        /// <param name="multiplier">The multiplier, e.g. drift µs over the fit's span.</param>
        /// <param name="divisor">The divisor; positive.</param>
        /// <returns>value × multiplier / divisor, rounded to the nearest integer.</returns>
        public static long MulDiv(long value, long multiplier, long divisor)
        {
            long whole = value / divisor;
            long rest = value - (whole * divisor);
            return (whole * multiplier) + DivRound(rest * multiplier, divisor);
        }
    }
}
