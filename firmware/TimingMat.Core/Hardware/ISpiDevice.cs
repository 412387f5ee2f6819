namespace TimingMat.Core.Hardware
{
    /// <summary>
    /// One chip on an SPI bus (the SX127x LoRa radio). Chip select is asserted for the whole of each call.
    /// </summary>
    public interface ISpiDevice
    {
        /// <summary>Clocks <paramref name="write"/> out while clocking the same number of bytes into <paramref name="read"/>.</summary>
        /// <param name="write">Bytes sent, first byte first.</param>
        /// <param name="read">Bytes received; same length as <paramref name="write"/>.</param>
        /// <exception cref="System.ArgumentException">The buffers differ in length.</exception>
        void TransferFullDuplex(byte[] write, byte[] read);

        /// <summary>Sends bytes and ignores what the chip returns.</summary>
        /// <param name="buffer">Bytes sent, first byte first.</param>
        void Write(byte[] buffer);
    }
}
