namespace TimingMat.Core.Bridge
{
    /// <summary>
    /// SC16IS752/SC16IS762 (dual UART with SPI) register addresses, bits and SPI framing (NXP SC16IS752_SC16IS762
    /// datasheet, register map and SPI interface); one place for the driver and the emulator, so both speak the same
    /// bytes.
    /// </summary>
    /// <remarks>
    /// Every SPI transaction starts with one command byte: bit 7 is 1 for a read, bits 6–3 the register, bits 2–1 the
    /// channel (00 = A, 01 = B), bit 0 unused. The data bytes follow in the same chip-select: a burst on RHR/THR moves
    /// FIFO bytes, a burst on any other register reads or writes that one register again.
    /// </remarks>
    public static class Sc16is752
    {
        /// <summary>Bytes in each channel's receive and transmit FIFO.</summary>
        public const int FifoBytes = 64;

        /// <summary>Channels (UARTs) on one chip.</summary>
        public const int Channels = 2;

        /// <summary>Command byte: bit 7 set reads, clear writes.</summary>
        public const byte ReadFlag = 0x80;

        /// <summary>RHR (read: receive FIFO) / THR (write: transmit FIFO); DLL when LCR bit 7 is set.</summary>
        public const int RegRhrThr = 0x00;

        /// <summary>IER, interrupt enable; DLH when LCR bit 7 is set.</summary>
        public const int RegIer = 0x01;

        /// <summary>IIR (read) / FCR (write, FIFO control); EFR when LCR is 0xBF.</summary>
        public const int RegFcr = 0x02;

        /// <summary>LCR, line control: word length, stop bits, parity; bit 7 opens the divisor latch.</summary>
        public const int RegLcr = 0x03;

        /// <summary>MCR, modem control: bit 7 divides the crystal by 4 (needs EFR bit 4), bit 4 loopback.</summary>
        public const int RegMcr = 0x04;

        /// <summary>LSR, line status (read only).</summary>
        public const int RegLsr = 0x05;

        /// <summary>SPR, the scratchpad: a byte the host may write and read back, touching nothing else.</summary>
        public const int RegSpr = 0x07;

        /// <summary>TXLVL: free spaces in the transmit FIFO, 0–64 (read only).</summary>
        public const int RegTxLvl = 0x08;

        /// <summary>RXLVL: bytes in the receive FIFO, 0–64 (read only).</summary>
        public const int RegRxLvl = 0x09;

        /// <summary>IOControl: bit 3 resets the whole chip (both channels); self-clearing.</summary>
        public const int RegIoControl = 0x0E;

        /// <summary>DLL, divisor latch low byte (address 0 while LCR bit 7 is set).</summary>
        public const int RegDll = 0x00;

        /// <summary>DLH, divisor latch high byte (address 1 while LCR bit 7 is set).</summary>
        public const int RegDlh = 0x01;

        /// <summary>LCR: 8 data bits, 1 stop bit, no parity, divisor latch closed.</summary>
        public const byte Lcr8N1 = 0x03;

        /// <summary>LCR bit 7: addresses 0 and 1 reach DLL and DLH.</summary>
        public const byte LcrDivisorLatch = 0x80;

        /// <summary>LCR value after a reset (datasheet default, not 8N1: a driver that forgets LCR reads garbage).</summary>
        public const byte LcrAfterReset = 0x1D;

        /// <summary>FCR bit 0: FIFOs on.</summary>
        public const byte FcrFifoEnable = 0x01;

        /// <summary>FCR bit 1: empty the receive FIFO (self-clearing).</summary>
        public const byte FcrResetRx = 0x02;

        /// <summary>FCR bit 2: empty the transmit FIFO (self-clearing).</summary>
        public const byte FcrResetTx = 0x04;

        /// <summary>LSR bit 0: the receive FIFO holds data.</summary>
        public const byte LsrDataReady = 0x01;

        /// <summary>LSR bit 1: a byte arrived while the receive FIFO was full and was lost; cleared by reading LSR.</summary>
        public const byte LsrOverrun = 0x02;

        /// <summary>LSR bit 5: the transmit FIFO is empty.</summary>
        public const byte LsrThrEmpty = 0x20;

        /// <summary>LSR bit 6: the transmit FIFO and the shift register are empty.</summary>
        public const byte LsrTransmitterEmpty = 0x40;

        /// <summary>IOControl bit 3: software reset.</summary>
        public const byte IoControlReset = 0x08;

        /// <summary>The crystal of the common SC16IS752 breakout boards, Hz: it divides to every standard rate up to 921,600 baud.</summary>
        public const int DefaultCrystalHz = 14745600;

        /// <summary>Builds the command byte that starts a transaction.</summary>
        /// <param name="read"><c>true</c> to read, <c>false</c> to write.</param>
        /// <param name="register">Register address, 0–15.</param>
        /// <param name="channel">Channel, 0 (A) or 1 (B).</param>
        /// <returns>The command byte, e.g. 0xC8 reads RXLVL of channel A.</returns>
        public static byte Command(bool read, int register, int channel)
        {
            return (byte)((read ? ReadFlag : 0) | ((register & 0x0F) << 3) | ((channel & 0x03) << 1));
        }

        /// <summary>Tells whether a command byte reads.</summary>
        /// <param name="command">The first byte of a transaction.</param>
        /// <returns><c>true</c> for a read.</returns>
        public static bool IsRead(byte command)
        {
            return (command & ReadFlag) != 0;
        }

        /// <summary>Gets the register a command byte addresses.</summary>
        /// <param name="command">The first byte of a transaction.</param>
        /// <returns>The register, 0–15.</returns>
        public static int RegisterOf(byte command)
        {
            return (command >> 3) & 0x0F;
        }

        /// <summary>Gets the channel a command byte addresses.</summary>
        /// <param name="command">The first byte of a transaction.</param>
        /// <returns>The channel, 0–3 (2 and 3 are reserved).</returns>
        public static int ChannelOf(byte command)
        {
            return (command >> 1) & 0x03;
        }

        /// <summary>
        /// Gets the baud-rate divisor for a line speed: crystal ÷ (16 × baud), rounded, with the crystal's ÷1
        /// prescaler. 0 when no divisor 1–65535 comes within <paramref name="tolerancePermille"/> of the speed.
        /// </summary>
        /// <param name="crystalHz">The chip's crystal or clock input, Hz.</param>
        /// <param name="baudRate">Line speed wanted, baud.</param>
        /// <param name="tolerancePermille">Largest error accepted, ‰ (a UART link tolerates about 2 %, 20 ‰, in all).</param>
        /// <returns>The divisor, or 0 when the speed cannot be made.</returns>
        public static int DivisorFor(int crystalHz, int baudRate, int tolerancePermille)
        {
            if (crystalHz <= 0 || baudRate <= 0)
            {
                return 0;
            }

            long sixteenBaud = 16L * baudRate;
            long divisor = (crystalHz + (sixteenBaud / 2)) / sixteenBaud;
            if (divisor < 1 || divisor > 0xFFFF)
            {
                return 0;
            }

            long actual = crystalHz / (16L * divisor);
            long error = actual > baudRate ? actual - baudRate : baudRate - actual;
            return error * 1000 > (long)tolerancePermille * baudRate ? 0 : (int)divisor;
        }

        /// <summary>Gets the line speed a divisor makes: crystal ÷ (16 × divisor), or 0 for divisor 0 (the UART stopped).</summary>
        /// <param name="crystalHz">The chip's crystal, Hz.</param>
        /// <param name="divisor">DLH:DLL.</param>
        /// <returns>Baud.</returns>
        public static int BaudOf(int crystalHz, int divisor)
        {
            return divisor <= 0 ? 0 : (int)(crystalHz / (16L * divisor));
        }
    }
}
