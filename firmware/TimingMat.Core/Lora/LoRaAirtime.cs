namespace TimingMat.Core.Lora
{
    /// <summary>
    /// Time on air of one LoRa packet (Semtech AN1200.13, SX1276 datasheet §4.1.1.6), in integer microseconds.
    /// </summary>
    /// <remarks>
    /// <code>
    /// Tsym     = 2^SF / BW
    /// Npayload = 8 + max(ceil((8·PL − 4·SF + 28 + 16·CRC − 20·IH) / (4·(SF − 2·DE))) · (CR + 4), 0)
    /// ToA      = (Npreamble + 4.25 + Npayload) · Tsym
    /// </code>
    /// Computed as ((4·Npreamble + 17 + 4·Npayload) · 2^SF · 10^6) / (4·BW), rounded up, so no floating point is needed
    /// and the duty-cycle budget never comes out short.
    /// </remarks>
    public static class LoRaAirtime
    {
        /// <summary>Tells whether LowDataRateOptimize is mandated: symbols longer than 16 ms (SF11 and SF12 at 125 kHz).</summary>
        /// <param name="spreadingFactor">6–12.</param>
        /// <param name="bandwidthHz">Bandwidth in Hz.</param>
        /// <returns><c>true</c> when the symbol time exceeds 16 ms.</returns>
        public static bool NeedsLowDataRateOptimize(int spreadingFactor, long bandwidthHz)
        {
            return ((1L << spreadingFactor) * 1000000) > 16000L * bandwidthHz;
        }

        /// <summary>Number of payload symbols (header, payload and CRC), the 8 fixed ones included.</summary>
        /// <param name="payloadBytes">PL, 0–255.</param>
        /// <param name="spreadingFactor">SF, 6–12.</param>
        /// <param name="codingRate">CR 1–4 for 4/5 … 4/8.</param>
        /// <param name="crc">Payload CRC on.</param>
        /// <param name="implicitHeader">Implicit header (no header sent).</param>
        /// <param name="lowDataRateOptimize">DE.</param>
        /// <returns>Npayload.</returns>
        public static int PayloadSymbols(int payloadBytes, int spreadingFactor, int codingRate, bool crc, bool implicitHeader, bool lowDataRateOptimize)
        {
            int numerator = (8 * payloadBytes) - (4 * spreadingFactor) + 28 + (crc ? 16 : 0) - (implicitHeader ? 20 : 0);
            int denominator = 4 * (spreadingFactor - (lowDataRateOptimize ? 2 : 0));
            int blocks = numerator <= 0 ? 0 : (numerator + denominator - 1) / denominator;
            return 8 + (blocks * (codingRate + 4));
        }

        /// <summary>Time on air of one packet in µs, rounded up.</summary>
        /// <param name="payloadBytes">PL, 0–255.</param>
        /// <param name="spreadingFactor">SF, 6–12.</param>
        /// <param name="bandwidthHz">BW in Hz.</param>
        /// <param name="codingRate">CR 1–4 for 4/5 … 4/8.</param>
        /// <param name="preambleSymbols">Programmed preamble length (8 usual).</param>
        /// <param name="crc">Payload CRC on.</param>
        /// <param name="implicitHeader">Implicit header.</param>
        /// <param name="lowDataRateOptimize">DE.</param>
        /// <returns>ToA in µs.</returns>
        public static long Micros(int payloadBytes, int spreadingFactor, long bandwidthHz, int codingRate, int preambleSymbols, bool crc, bool implicitHeader, bool lowDataRateOptimize)
        {
            long quarterSymbols = (4L * preambleSymbols) + 17 + (4L * PayloadSymbols(payloadBytes, spreadingFactor, codingRate, crc, implicitHeader, lowDataRateOptimize));
            long numerator = quarterSymbols * (1L << spreadingFactor) * 1000000;
            long denominator = 4 * bandwidthHz;
            return (numerator + denominator - 1) / denominator;
        }

        /// <summary>Time on air of one packet with a radio's settings (explicit header), in µs.</summary>
        /// <param name="payloadBytes">PL, 0–255.</param>
        /// <param name="settings">The modem settings.</param>
        /// <returns>ToA in µs.</returns>
        public static long Micros(int payloadBytes, LoRaSettings settings)
        {
            return Micros(payloadBytes, settings.SpreadingFactor, settings.BandwidthHz, settings.CodingRate, settings.PreambleSymbols, settings.Crc, false, NeedsLowDataRateOptimize(settings.SpreadingFactor, settings.BandwidthHz));
        }
    }
}
