namespace TimingMat.Core.Unit
{
    /// <summary>
    /// Stands in for the NMEA parser's last position until <c>NmeaParser</c> has it (<c>HasPosition</c>,
    /// <c>LatitudeMicrodegrees</c>, <c>LongitudeMicrodegrees</c>, <c>AltitudeDecimetres</c>): the status writes
    /// <c>"position":null</c> meanwhile. <see cref="UnitStatus"/> reads the position in one line; switch that line to the
    /// parser and delete this class.
    /// </summary>
    internal sealed class GpsPositionPlaceholder
    {
        /// <summary>The one instance: no position.</summary>
        public static readonly GpsPositionPlaceholder None = new GpsPositionPlaceholder();

        /// <summary>Gets a value indicating whether a position is known (never, here).</summary>
        public bool HasPosition
        {
            get { return false; }
        }

        /// <summary>Gets the latitude in millionths of a degree.</summary>
        public int LatitudeMicrodegrees
        {
            get { return 0; }
        }

        /// <summary>Gets the longitude in millionths of a degree.</summary>
        public int LongitudeMicrodegrees
        {
            get { return 0; }
        }

        /// <summary>Gets the altitude above mean sea level in decimetres.</summary>
        public int AltitudeDecimetres
        {
            get { return 0; }
        }
    }
}
