using System;
using nanoFramework.Hardware.Esp32;
using nanoFramework.System.IO.FileSystem;
using TimingMat.Core.Board;

namespace TimingMat.Device.Adapters
{
    /// <summary>Mounts the SD card that holds the journal as <c>D:\</c>, wired as board.cfg's <c>sd.*</c> keys say.</summary>
    /// <remarks>
    /// nanoFramework does not mount an SD card by itself on the ESP32: the application builds an <c>SDCard</c> for
    /// the SDMMC slot (1-bit: CLK 14, CMD 15, D0 2, routed explicitly here) or for SPI on the LoRa radio's bus with its
    /// own chip select, and mounts it. Keep the returned object alive: it is the mount.
    /// </remarks>
    public static class SdCardDrive
    {
        /// <summary>Mounts the card.</summary>
        /// <param name="board">The board profile; <see cref="BoardProfile.Sd"/> must not be <see cref="SdInterface.None"/>.</param>
        /// <returns>The mounted card.</returns>
        /// <exception cref="InvalidOperationException">No card, or it cannot be mounted (the message says what to check).</exception>
        public static SDCard Mount(BoardProfile board)
        {
            SDCard card;
            if (board.Sd == SdInterface.Mmc1Bit)
            {
                Configuration.SetPinFunction(14, DeviceFunction.SDMMC1_CLOCK);
                Configuration.SetPinFunction(15, DeviceFunction.SDMMC1_COMMAND);
                Configuration.SetPinFunction(2, DeviceFunction.SDMMC1_D0);
                SDCardMmcParameters mmc = new SDCardMmcParameters();
                mmc.slotIndex = 0;
                mmc.dataWidth = SDCard.SDDataWidth._1_bit;
                card = new SDCard(mmc);
            }
            else
            {
                SDCardSpiParameters spi = new SDCardSpiParameters();
                spi.slotIndex = 0;
                spi.spiBus = (uint)board.Lora.Bus;
                spi.chipSelectPin = (uint)board.SdChipSelectPin;
                card = new SDCard(spi);
            }

            try
            {
                card.Mount();
            }
            catch (Exception e)
            {
                throw new InvalidOperationException("SD card not mounted (" + e.Message + "): check that a FAT32 card is in the slot and the wiring in boards/" + board.Name + "/README.md.");
            }

            if (!card.IsMounted)
            {
                throw new InvalidOperationException("SD card not mounted: check that a FAT32 card is in the slot and the wiring in boards/" + board.Name + "/README.md.");
            }

            return card;
        }
    }
}
