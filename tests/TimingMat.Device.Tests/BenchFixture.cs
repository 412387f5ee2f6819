namespace TimingMat.Device.Tests
{
    /// <summary>
    /// Bench settings of the on-target tests. The loopback wiring they need is in boards/&lt;board&gt;/README.md: a jumper
    /// from the profile's <c>bench.pps_drive</c> pin to its <c>gps.pps</c> pin, and one from the reader UART's TX to its
    /// RX with the reader module unplugged.
    /// </summary>
    public static class BenchFixture
    {
        /// <summary>Name of the file the reboot test keeps on internal flash between its two runs.</summary>
        public const string RebootFileName = "reboot.test";
    }
}
