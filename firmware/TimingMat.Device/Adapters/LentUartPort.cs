using TimingMat.Core.Hardware;

namespace TimingMat.Device.Adapters
{
    /// <summary>
    /// The GPS's port on a boot whose serial console borrowed the GPS's UART (firmware/docs/console.md): the unit runs
    /// with a GPS that says nothing, and what it would send the GPS is dropped, as on a cable that is unplugged. The
    /// status shows no NMEA and the self-test skips the GPS with the reason (<c>UnitHardware.GpsUnheardReason</c>).
    /// </summary>
    public sealed class LentUartPort : IBytePort
    {
        private bool _open;

        /// <summary>Initializes a new instance of the <see cref="LentUartPort"/> class.</summary>
        /// <param name="baud">The GPS's line speed, reported as its own.</param>
        public LentUartPort(int baud)
        {
            BaudRate = baud;
        }

        /// <inheritdoc />
        public bool IsOpen
        {
            get { return _open; }
        }

        /// <inheritdoc />
        public int BaudRate { get; set; }

        /// <inheritdoc />
        public void Open()
        {
            _open = true;
        }

        /// <inheritdoc />
        public void Close()
        {
            _open = false;
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count)
        {
            return 0;
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
        }

        /// <inheritdoc />
        public void DiscardInput()
        {
        }
    }
}
