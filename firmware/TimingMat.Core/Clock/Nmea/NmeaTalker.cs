namespace TimingMat.Core.Clock.Nmea
{
    /// <summary>The satellite system that produced a sentence (the two letters after <c>$</c>).</summary>
    public enum NmeaTalker
    {
        /// <summary>Not a GNSS talker; such sentences are rejected.</summary>
        Unknown = 0,

        /// <summary><c>GP</c>: GPS only.</summary>
        Gps = 1,

        /// <summary><c>GN</c>: a combined multi-constellation solution (most current receivers).</summary>
        Gnss = 2,

        /// <summary><c>GL</c>: GLONASS.</summary>
        Glonass = 3,

        /// <summary><c>GA</c>: Galileo.</summary>
        Galileo = 4,

        /// <summary><c>BD</c>: BeiDou (older receivers and NMEA 4.0).</summary>
        BeiDou = 5,

        /// <summary><c>GB</c>: BeiDou as NMEA 4.10 and later spell it.</summary>
        BeiDouGb = 6,
    }
}
