using System;

namespace TimingMat.Core.Board
{
    /// <summary>
    /// How one supported board is wired: which UART the reader and GPS use, the PPS pin, the LoRa radio's SPI
    /// pins, the storage drive and the uplink. Read from <c>board.cfg</c> (one per folder in <c>boards/</c>,
    /// deployed to <c>I:\board.cfg</c>).
    /// </summary>
    /// <remarks>
    /// The format is one <c>key = value</c> per line; <c>#</c> starts a comment. Parsing rejects unknown and
    /// repeated keys, missing required keys, pins the chip does not have or cannot drive, and a pin used twice, so
    /// a wiring mistake is found at the bench and not at kilometre 30. Parsing allocates; it runs once at boot.
    /// </remarks>
    public sealed class BoardProfile
    {
        private BoardProfile()
        {
        }

        /// <summary>Gets the board's name, e.g. <c>esp32-devkitc</c>.</summary>
        public string Name { get; internal set; }

        /// <summary>Gets the nanoFramework firmware target to flash with nanoff, e.g. <c>ESP32_PSRAM_REV0</c>.</summary>
        public string Target { get; internal set; }

        /// <summary>Gets the uplink the board uses to reach the broker.</summary>
        public UplinkKind Uplink { get; internal set; }

        /// <summary>Gets the drive the journal lives on: <c>I:\</c> (internal flash) or <c>D:\</c> (SD card).</summary>
        public string StorageRoot { get; internal set; }

        /// <summary>Gets the reader module's UART.</summary>
        public UartPins Reader { get; internal set; }

        /// <summary>Gets the GPS module's UART.</summary>
        public UartPins Gps { get; internal set; }

        /// <summary>Gets the GPIO the GPS PPS output is wired to.</summary>
        public int PpsPin { get; internal set; }

        /// <summary>Gets the LoRa radio wiring, or <c>null</c> when the board has no radio.</summary>
        public SpiPins Lora { get; internal set; }

        /// <summary>Gets the status LED GPIO, or -1 when the board has none.</summary>
        public int LedPin { get; internal set; }

        /// <summary>
        /// Gets the GPIO a bench board drives to fake PPS pulses through a jumper to <see cref="PpsPin"/> (on-target tests
        /// and the hardware-in-the-loop harness), or -1 when the profile names none.
        /// </summary>
        public int BenchPpsDrivePin { get; internal set; }

        /// <summary>
        /// Gets how many chips the crossing detector follows at once (<c>crossings.chips</c>; its open crossings are a
        /// quarter of it). Defaults to 256, which fits the ~100 KB heap of a module without PSRAM; a WROVER board with
        /// PSRAM can set 1024 or more for the densest start lines.
        /// </summary>
        public int CrossingChips { get; internal set; }

        /// <summary>
        /// Gets a value indicating whether the board's module has PSRAM (<c>board.psram = yes</c>): WROVER modules, the
        /// T-Beam. The PSRAM firmware targets also run on modules without it, so the target name does not tell.
        /// </summary>
        public bool HasPsram { get; internal set; }

        /// <summary>
        /// Gets a value indicating whether the uplink may use TLS: only with PSRAM, because each TLS session needs two
        /// ~16.7 KB record buffers that the ~100 KB heap of a module without PSRAM cannot spare next to the journal.
        /// </summary>
        public bool TlsAllowed
        {
            get { return HasPsram; }
        }

        /// <summary>Gets the buzzer GPIO (an active buzzer through a transistor: high sounds), or -1 when there is none.</summary>
        public int BuzzerPin { get; internal set; }

        /// <summary>Gets the power-management chip, <see cref="PmuKind.None"/> when the board has none. It sits on I2C SDA 21 / SCL 22, which no other key may use then.</summary>
        public PmuKind Pmu { get; internal set; }

        /// <summary>Gets the GPIO of the battery divider's midpoint (ADC1, GPIO 32–39), or -1 when the board does not measure its battery on an ADC.</summary>
        public int BatteryAdcPin { get; internal set; }

        /// <summary>Gets the ADC1 channel of <see cref="BatteryAdcPin"/> (GPIO 36 is channel 0 … GPIO 35 channel 7), or -1.</summary>
        public int BatteryAdcChannel { get; internal set; }

        /// <summary>Gets the divider's resistor from the battery to the ADC pin, in ohms (<c>battery.r_top</c>).</summary>
        public int BatteryDividerTopOhms { get; internal set; }

        /// <summary>Gets the divider's resistor from the ADC pin to ground, in ohms (<c>battery.r_bottom</c>).</summary>
        public int BatteryDividerBottomOhms { get; internal set; }

        /// <summary>Gets the Ethernet PHY for <c>uplink = ethernet</c> (<c>ethernet.phy</c>, default <c>lan8720</c>); <c>null</c> otherwise.</summary>
        /// <remarks>The nanoFramework firmware image fixes the PHY and its pins (ESP32_WT32_ETH01: LAN8720); the key states what the image must carry.</remarks>
        public string EthernetPhy { get; internal set; }

        /// <summary>
        /// Gets how many KB of <see cref="StorageRoot"/> the journal may fill (<c>storage.capacity_kb</c>). Internal
        /// flash defaults to 192: nanoFramework's LittleFS partition on a 4 MB module is 256 KB, shared with the board
        /// and unit files and LittleFS's own blocks. An SD card must state it.
        /// </summary>
        public int StorageCapacityKb { get; internal set; }

        /// <summary>Gets how the SD card is wired, <see cref="SdInterface.None"/> for a journal on internal flash.</summary>
        public SdInterface Sd { get; internal set; }

        /// <summary>Gets the SD card's chip select for <see cref="SdInterface.Spi"/> (on the LoRa radio's bus), or -1.</summary>
        public int SdChipSelectPin { get; internal set; }

        /// <summary>
        /// Gets the serial console's UART (<c>console.uart</c>, <c>console.rx</c>, <c>console.tx</c>; 115,200 baud),
        /// or <c>null</c> when the board serves its console on the network only. The classic ESP32 has no free UART
        /// (UART0 carries the wire protocol, the reader and the GPS the other two), so the console borrows the GPS's:
        /// it takes it for a boot that finds a USB-serial adapter on <see cref="UartPins.RxPin"/> (its idle-high TX
        /// beats the pin's internal pull-down), and the GPS keeps it otherwise.
        /// </summary>
        public UartPins Console { get; internal set; }

        /// <summary>Refuses an uplink configuration that asks for TLS on a board without PSRAM.</summary>
        /// <param name="useTls">Whether the unit configuration asks for TLS (an <c>mqtts://</c> broker).</param>
        /// <exception cref="BoardProfileException">TLS is asked for and <see cref="TlsAllowed"/> is false.</exception>
        public void CheckTls(bool useTls)
        {
            if (useTls && !TlsAllowed)
            {
                throw new BoardProfileException(0, "TLS needs PSRAM (two ~16.7 KB buffers per session), and " + Name + " declares board.psram = no: use mqtt:// on this board, or a board with PSRAM (WROVER module, T-Beam).");
            }
        }

        /// <summary>Parses a board profile.</summary>
        /// <param name="text">The contents of a <c>board.cfg</c> file.</param>
        /// <returns>The validated profile.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="text"/> is <c>null</c>.</exception>
        /// <exception cref="BoardProfileException">The profile has a syntax error, an unknown, repeated or missing key, or a pin conflict.</exception>
        public static BoardProfile Parse(string text)
        {
            if (text == null)
            {
                throw new ArgumentNullException("text");
            }

            string[] values = new string[BoardKeys.Names.Length];
            int[] lines = new int[BoardKeys.Names.Length];
            BoardKeys.ReadPairs(text, values, lines);

            BoardProfile profile = new BoardProfile();
            profile.Name = BoardKeys.Required(values, lines, "board.name");
            profile.Target = BoardKeys.Required(values, lines, "board.target");
            profile.Uplink = BoardWiring.ParseUplink(values, lines);
            profile.StorageRoot = BoardWiring.ParseStorageRoot(values, lines);
            profile.Reader = BoardWiring.ParseUart(values, lines, "reader", 115200);
            profile.Gps = BoardWiring.ParseUart(values, lines, "gps", 9600);
            profile.PpsPin = BoardKeys.RequiredInt(values, lines, "gps.pps");
            profile.Lora = BoardWiring.ParseLora(values, lines);
            profile.LedPin = BoardKeys.OptionalInt(values, lines, "led", BoardKeys.NoPin);
            profile.BenchPpsDrivePin = BoardKeys.OptionalInt(values, lines, "bench.pps_drive", BoardKeys.NoPin);
            profile.CrossingChips = BoardWiring.ParseCrossingChips(values, lines);
            profile.HasPsram = BoardKeys.YesNo(values, lines, "board.psram", false);
            profile.BuzzerPin = BoardKeys.OptionalInt(values, lines, "buzzer", BoardKeys.NoPin);
            BoardWiring.ParsePower(values, lines, profile);
            profile.EthernetPhy = BoardWiring.ParseEthernetPhy(values, lines, profile.Uplink);
            BoardWiring.ParseStorage(values, lines, profile);
            profile.Console = BoardWiring.ParseConsole(values, lines, profile);
            Esp32Pins.CheckPins(values, lines, profile.Target, profile.Uplink == UplinkKind.Ethernet, profile.Sd == SdInterface.Mmc1Bit, profile.Pmu != PmuKind.None);
            if (profile.Reader.Port == profile.Gps.Port)
            {
                throw new BoardProfileException(lines[BoardKeys.IndexOf("gps.uart")], "the reader and the GPS cannot share " + profile.Gps.Port + ".");
            }

            return profile;
        }
    }
}
