namespace TimingMat.Core.Clock
{
    /// <summary>How far a mat's time can be trusted.</summary>
    public enum ClockState
    {
        /// <summary>No GPS time yet since boot: times are local microseconds since boot, not UTC.</summary>
        Unsynced = 0,

        /// <summary>Disciplined by GPS PPS and NMEA: UTC within the stated uncertainty.</summary>
        Locked = 1,

        /// <summary>GPS lost after a lock: UTC extrapolated from the last frequency estimate; uncertainty grows.</summary>
        Holdover = 2,
    }
}
