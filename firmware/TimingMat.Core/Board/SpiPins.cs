namespace TimingMat.Core.Board
{
    /// <summary>The SPI wiring of a chip (the SX127x LoRa radio): bus, pins and its reset and interrupt lines.</summary>
    public sealed class SpiPins
    {
        /// <summary>Initializes a new instance of the <see cref="SpiPins"/> class.</summary>
        /// <param name="bus">nanoFramework SPI bus id, 1 or 2.</param>
        /// <param name="mosi">MOSI GPIO.</param>
        /// <param name="miso">MISO GPIO.</param>
        /// <param name="clock">SCK GPIO.</param>
        /// <param name="chipSelect">Chip-select (NSS) GPIO.</param>
        /// <param name="reset">Reset GPIO of the chip.</param>
        /// <param name="interrupt">Interrupt GPIO (DIO0 on the SX127x).</param>
        /// <param name="clockHz">SPI clock in Hz (the SX127x accepts up to 10 MHz).</param>
        public SpiPins(int bus, int mosi, int miso, int clock, int chipSelect, int reset, int interrupt, int clockHz)
        {
            ClockHz = clockHz;
            Bus = bus;
            Mosi = mosi;
            Miso = miso;
            Clock = clock;
            ChipSelect = chipSelect;
            Reset = reset;
            Interrupt = interrupt;
        }

        /// <summary>Gets the nanoFramework SPI bus id.</summary>
        public int Bus { get; private set; }

        /// <summary>Gets the MOSI GPIO.</summary>
        public int Mosi { get; private set; }

        /// <summary>Gets the MISO GPIO.</summary>
        public int Miso { get; private set; }

        /// <summary>Gets the SCK GPIO.</summary>
        public int Clock { get; private set; }

        /// <summary>Gets the chip-select GPIO.</summary>
        public int ChipSelect { get; private set; }

        /// <summary>Gets the reset GPIO.</summary>
        public int Reset { get; private set; }

        /// <summary>Gets the SPI clock in Hz (<c>lora.clock_hz</c>; 8 MHz unless the board file says otherwise).</summary>
        public int ClockHz { get; private set; }

        /// <summary>Gets the interrupt GPIO.</summary>
        public int Interrupt { get; private set; }
    }
}
