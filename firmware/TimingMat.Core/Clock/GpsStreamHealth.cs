namespace TimingMat.Core.Clock
{
    /// <summary>
    /// When the GPS's two streams last delivered: PPS edges on the GPIO and NMEA sentences on the UART. One alive while
    /// the other is silent points the technician at a wire (<see cref="MatClock.PpsMissing"/>, <see cref="MatClock.NmeaMissing"/>).
    /// </summary>
    internal sealed class GpsStreamHealth
    {
        // How long a missing PPS or NMEA stream is tolerated before the matching warning is raised.
        private const long StreamSilenceMicros = 3000000;

        /// <summary>Whether a PPS edge came since the timebase started.</summary>
        internal bool EdgeSeen;

        /// <summary>Local µs of the last edge.</summary>
        internal long LastEdgeLocal;

        /// <summary>Whether an NMEA sentence was accepted since the timebase started.</summary>
        internal bool SentenceSeen;

        /// <summary>Local µs of the poll that completed the last sentence.</summary>
        internal long LastSentenceLocal;

        /// <summary>Whether a sentence reported a fix since the timebase started.</summary>
        internal bool FixSentenceSeen;

        /// <summary>Local µs of the poll that completed the last sentence reporting a fix.</summary>
        internal long LastFixSentenceLocal;

        /// <summary>Forgets both streams (the timebase restarted).</summary>
        internal void Clear()
        {
            EdgeSeen = false;
            SentenceSeen = false;
            FixSentenceSeen = false;
        }

        /// <summary>Gives whether the GPS reports a fix but no PPS edge arrives.</summary>
        /// <param name="now">The local µs now.</param>
        /// <returns><c>true</c> when the PPS wire is to be checked.</returns>
        internal bool PpsMissing(long now)
        {
            return FixSentenceSeen && now - LastFixSentenceLocal <= StreamSilenceMicros
                && (!EdgeSeen || now - LastEdgeLocal > StreamSilenceMicros);
        }

        /// <summary>Gives whether PPS edges arrive but no NMEA does.</summary>
        /// <param name="now">The local µs now.</param>
        /// <returns><c>true</c> when the GPS TX wire and baud rate are to be checked.</returns>
        internal bool NmeaMissing(long now)
        {
            return EdgeSeen && now - LastEdgeLocal <= StreamSilenceMicros
                && (!SentenceSeen || now - LastSentenceLocal > StreamSilenceMicros);
        }
    }
}
