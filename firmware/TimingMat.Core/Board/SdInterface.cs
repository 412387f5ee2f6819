namespace TimingMat.Core.Board
{
    /// <summary>How an SD card holding the journal (<c>storage.root = D:\</c>) is wired (<c>sd.interface</c> in board.cfg).</summary>
    public enum SdInterface
    {
        /// <summary>No SD card: the journal is on internal flash.</summary>
        None = 0,

        /// <summary>The ESP32's SDMMC slot in 1-bit mode on its fixed pins: CLK GPIO 14, CMD GPIO 15, D0 GPIO 2.</summary>
        Mmc1Bit = 1,

        /// <summary>SPI mode on the LoRa radio's bus, with its own chip select (<c>sd.cs</c>).</summary>
        Spi = 2,
    }
}
