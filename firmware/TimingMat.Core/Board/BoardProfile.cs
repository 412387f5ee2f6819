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
        private const int NoPin = -1;

        // The T-Beam's AXP192/AXP2101 sits on the ESP32's default I2C pins.
        private const int PmuSdaPin = 21;
        private const int PmuSclPin = 22;

        // The serial console's line speed: the one the host's console tools open a serial device at.
        private const int ConsoleBaud = 115200;

        // UART0's TX and RX on the classic ESP32: nanoFramework's wire protocol (nanoff, the debugger) runs there.
        private const int Uart0TxPin = 1;
        private const int Uart0RxPin = 3;

        // Index of each key in the parse tables. Keys ending in a pin role are checked for conflicts.
        private static readonly string[] s_keys = new string[]
        {
            "board.name", "board.target", "uplink", "storage.root",
            "reader.uart", "reader.rx", "reader.tx", "reader.baud",
            "gps.uart", "gps.rx", "gps.tx", "gps.baud", "gps.pps",
            "lora.bus", "lora.mosi", "lora.miso", "lora.sck", "lora.cs", "lora.reset", "lora.dio0",
            "led", "bench.pps_drive",
            "crossings.chips",
            "board.psram", "lora.clock_hz", "buzzer", "pmu", "battery.adc", "battery.r_top", "battery.r_bottom",
            "ethernet.phy", "storage.capacity_kb", "sd.interface", "sd.cs",
            "console.uart", "console.rx", "console.tx",
        };

        // Pin keys and whether the ESP32 drives them (an input-only GPIO 34–39 cannot be used for those).
        private static readonly string[] s_pinKeys = new string[]
        {
            "reader.rx", "reader.tx", "gps.rx", "gps.tx", "gps.pps",
            "lora.mosi", "lora.miso", "lora.sck", "lora.cs", "lora.reset", "lora.dio0", "led", "bench.pps_drive",
            "buzzer", "battery.adc", "sd.cs", "console.rx", "console.tx",
        };

        private static readonly bool[] s_pinIsOutput = new bool[]
        {
            false, true, false, true, false,
            true, false, true, true, true, false, true, true,
            true, false, true, false, true,
        };

        // The SDMMC slot's fixed pins in 1-bit mode: CLK, CMD, D0.
        private static readonly int[] s_sdmmcPins = new int[] { 14, 15, 2 };

        // GPIO of the classic ESP32's ADC1, by channel (ADC2 cannot be read while Wi-Fi runs).
        private static readonly int[] s_adc1Gpio = new int[] { 36, 37, 38, 39, 32, 33, 34, 35 };

        private static readonly string[] s_ethernetPhys = new string[] { "lan8720", "ip101", "rtl8201", "dp83848", "ksz8041" };

        // GPIOs the classic ESP32's Ethernet MAC fixes for its RMII PHY (REF_CLK, TXD0, TX_EN, TXD1, RXD0, RXD1, CRS_DV).
        private static readonly int[] s_rmiiPins = new int[] { 0, 19, 21, 22, 25, 26, 27 };

        private static readonly string[] s_loraKeys = new string[]
        {
            "lora.bus", "lora.mosi", "lora.miso", "lora.sck", "lora.cs", "lora.reset", "lora.dio0",
        };

        private static readonly string[] s_otherChipTargets = new string[]
        {
            "ESP32_S2", "ESP32_S3", "ESP32_C3", "ESP32_C6", "ESP32_H2", "ESP32_P4",
        };

        private BoardProfile()
        {
        }

        /// <summary>Gets the board's name, e.g. <c>esp32-devkitc</c>.</summary>
        public string Name { get; private set; }

        /// <summary>Gets the nanoFramework firmware target to flash with nanoff, e.g. <c>ESP32_PSRAM_REV0</c>.</summary>
        public string Target { get; private set; }

        /// <summary>Gets the uplink the board uses to reach the broker.</summary>
        public UplinkKind Uplink { get; private set; }

        /// <summary>Gets the drive the journal lives on: <c>I:\</c> (internal flash) or <c>D:\</c> (SD card).</summary>
        public string StorageRoot { get; private set; }

        /// <summary>Gets the reader module's UART.</summary>
        public UartPins Reader { get; private set; }

        /// <summary>Gets the GPS module's UART.</summary>
        public UartPins Gps { get; private set; }

        /// <summary>Gets the GPIO the GPS PPS output is wired to.</summary>
        public int PpsPin { get; private set; }

        /// <summary>Gets the LoRa radio wiring, or <c>null</c> when the board has no radio.</summary>
        public SpiPins Lora { get; private set; }

        /// <summary>Gets the status LED GPIO, or -1 when the board has none.</summary>
        public int LedPin { get; private set; }

        /// <summary>
        /// Gets the GPIO a bench board drives to fake PPS pulses through a jumper to <see cref="PpsPin"/> (on-target tests
        /// and the hardware-in-the-loop harness), or -1 when the profile names none.
        /// </summary>
        public int BenchPpsDrivePin { get; private set; }

        /// <summary>
        /// Gets how many chips the crossing detector follows at once (<c>crossings.chips</c>; its open crossings are a
        /// quarter of it). Defaults to 256, which fits the ~100 KB heap of a module without PSRAM; a WROVER board with
        /// PSRAM can set 1024 or more for the densest start lines.
        /// </summary>
        public int CrossingChips { get; private set; }

        /// <summary>
        /// Gets a value indicating whether the board's module has PSRAM (<c>board.psram = yes</c>): WROVER modules, the
        /// T-Beam. The PSRAM firmware targets also run on modules without it, so the target name does not tell.
        /// </summary>
        public bool HasPsram { get; private set; }

        /// <summary>
        /// Gets a value indicating whether the uplink may use TLS: only with PSRAM, because each TLS session needs two
        /// ~16.7 KB record buffers that the ~100 KB heap of a module without PSRAM cannot spare next to the journal.
        /// </summary>
        public bool TlsAllowed
        {
            get { return HasPsram; }
        }

        /// <summary>Gets the buzzer GPIO (an active buzzer through a transistor: high sounds), or -1 when there is none.</summary>
        public int BuzzerPin { get; private set; }

        /// <summary>Gets the power-management chip, <see cref="PmuKind.None"/> when the board has none. It sits on I2C SDA 21 / SCL 22, which no other key may use then.</summary>
        public PmuKind Pmu { get; private set; }

        /// <summary>Gets the GPIO of the battery divider's midpoint (ADC1, GPIO 32–39), or -1 when the board does not measure its battery on an ADC.</summary>
        public int BatteryAdcPin { get; private set; }

        /// <summary>Gets the ADC1 channel of <see cref="BatteryAdcPin"/> (GPIO 36 is channel 0 … GPIO 35 channel 7), or -1.</summary>
        public int BatteryAdcChannel { get; private set; }

        /// <summary>Gets the divider's resistor from the battery to the ADC pin, in ohms (<c>battery.r_top</c>).</summary>
        public int BatteryDividerTopOhms { get; private set; }

        /// <summary>Gets the divider's resistor from the ADC pin to ground, in ohms (<c>battery.r_bottom</c>).</summary>
        public int BatteryDividerBottomOhms { get; private set; }

        /// <summary>Gets the Ethernet PHY for <c>uplink = ethernet</c> (<c>ethernet.phy</c>, default <c>lan8720</c>); <c>null</c> otherwise.</summary>
        /// <remarks>The nanoFramework firmware image fixes the PHY and its pins (ESP32_WT32_ETH01: LAN8720); the key states what the image must carry.</remarks>
        public string EthernetPhy { get; private set; }

        /// <summary>
        /// Gets how many KB of <see cref="StorageRoot"/> the journal may fill (<c>storage.capacity_kb</c>). Internal
        /// flash defaults to 192: nanoFramework's LittleFS partition on a 4 MB module is 256 KB, shared with the board
        /// and unit files and LittleFS's own blocks. An SD card must state it.
        /// </summary>
        public int StorageCapacityKb { get; private set; }

        /// <summary>Gets how the SD card is wired, <see cref="SdInterface.None"/> for a journal on internal flash.</summary>
        public SdInterface Sd { get; private set; }

        /// <summary>Gets the SD card's chip select for <see cref="SdInterface.Spi"/> (on the LoRa radio's bus), or -1.</summary>
        public int SdChipSelectPin { get; private set; }

        /// <summary>
        /// Gets the serial console's UART (<c>console.uart</c>, <c>console.rx</c>, <c>console.tx</c>; 115,200 baud),
        /// or <c>null</c> when the board serves its console on the network only. The classic ESP32 has no free UART
        /// (UART0 carries the wire protocol, the reader and the GPS the other two), so the console borrows the GPS's:
        /// it takes it for a boot that finds a USB-serial adapter on <see cref="UartPins.RxPin"/> (its idle-high TX
        /// beats the pin's internal pull-down), and the GPS keeps it otherwise.
        /// </summary>
        public UartPins Console { get; private set; }

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

            string[] values = new string[s_keys.Length];
            int[] lines = new int[s_keys.Length];
            ReadPairs(text, values, lines);

            BoardProfile profile = new BoardProfile();
            profile.Name = Required(values, lines, "board.name");
            profile.Target = Required(values, lines, "board.target");
            profile.Uplink = ParseUplink(values, lines);
            profile.StorageRoot = ParseStorageRoot(values, lines);
            profile.Reader = ParseUart(values, lines, "reader", 115200);
            profile.Gps = ParseUart(values, lines, "gps", 9600);
            profile.PpsPin = RequiredInt(values, lines, "gps.pps");
            profile.Lora = ParseLora(values, lines);
            profile.LedPin = OptionalInt(values, lines, "led", NoPin);
            profile.BenchPpsDrivePin = OptionalInt(values, lines, "bench.pps_drive", NoPin);
            profile.CrossingChips = ParseCrossingChips(values, lines);
            profile.HasPsram = ParseYesNo(values, lines, "board.psram", false);
            profile.BuzzerPin = OptionalInt(values, lines, "buzzer", NoPin);
            ParsePower(values, lines, profile);
            profile.EthernetPhy = ParseEthernetPhy(values, lines, profile.Uplink);
            ParseStorage(values, lines, profile);
            profile.Console = ParseConsole(values, lines, profile);
            CheckPins(values, lines, profile.Target, profile.Uplink == UplinkKind.Ethernet, profile.Sd == SdInterface.Mmc1Bit, profile.Pmu != PmuKind.None);
            if (profile.Reader.Port == profile.Gps.Port)
            {
                throw new BoardProfileException(lines[IndexOf("gps.uart")], "the reader and the GPS cannot share " + profile.Gps.Port + ".");
            }

            return profile;
        }

        private static void ReadPairs(string text, string[] values, int[] lines)
        {
            string[] rawLines = text.Split('\n');
            for (int i = 0; i < rawLines.Length; i++)
            {
                int lineNumber = i + 1;
                string line = rawLines[i];
                int hash = line.IndexOf('#');
                if (hash >= 0)
                {
                    line = line.Substring(0, hash);
                }

                line = line.Trim();
                if (line.Length == 0)
                {
                    continue;
                }

                int equals = line.IndexOf('=');
                if (equals <= 0)
                {
                    throw new BoardProfileException(lineNumber, "expected 'key = value', found '" + line + "'.");
                }

                string key = line.Substring(0, equals).Trim().ToLower();
                string value = line.Substring(equals + 1).Trim();
                int index = IndexOf(key);
                if (index < 0)
                {
                    throw new BoardProfileException(lineNumber, "unknown key '" + key + "'.");
                }

                if (values[index] != null)
                {
                    throw new BoardProfileException(lineNumber, "'" + key + "' is already set on line " + lines[index].ToString() + ".");
                }

                if (value.Length == 0)
                {
                    throw new BoardProfileException(lineNumber, "'" + key + "' has no value.");
                }

                values[index] = value;
                lines[index] = lineNumber;
            }
        }

        private static int IndexOf(string key)
        {
            for (int i = 0; i < s_keys.Length; i++)
            {
                if (s_keys[i] == key)
                {
                    return i;
                }
            }

            return -1;
        }

        private static string Required(string[] values, int[] lines, string key)
        {
            string value = values[IndexOf(key)];
            if (value == null)
            {
                throw new BoardProfileException(0, "'" + key + "' is required.");
            }

            return value;
        }

        private static int RequiredInt(string[] values, int[] lines, string key)
        {
            Required(values, lines, key);
            return OptionalInt(values, lines, key, NoPin);
        }

        private static int OptionalInt(string[] values, int[] lines, string key, int fallback)
        {
            int index = IndexOf(key);
            string value = values[index];
            if (value == null)
            {
                return fallback;
            }

            int result;
            if (!int.TryParse(value, out result))
            {
                throw new BoardProfileException(lines[index], "'" + key + "' must be a whole number, found '" + value + "'.");
            }

            return result;
        }

        private static int ParseCrossingChips(string[] values, int[] lines)
        {
            // The PSRAM targets also run on modules without PSRAM (a WROOM on a DevKitC), so the default fits the small heap.
            int chips = OptionalInt(values, lines, "crossings.chips", 256);
            if (chips < 16 || chips > 16384)
            {
                throw new BoardProfileException(lines[IndexOf("crossings.chips")], "'crossings.chips' must be between 16 and 16384, found " + chips.ToString() + ".");
            }

            return chips;
        }

        private static bool ParseYesNo(string[] values, int[] lines, string key, bool fallback)
        {
            int index = IndexOf(key);
            string value = values[index];
            if (value == null)
            {
                return fallback;
            }

            string lower = value.ToLower();
            if (lower == "yes" || lower == "true")
            {
                return true;
            }

            if (lower == "no" || lower == "false")
            {
                return false;
            }

            throw new BoardProfileException(lines[index], "'" + key + "' must be yes or no, found '" + value + "'.");
        }

        private static void ParsePower(string[] values, int[] lines, BoardProfile profile)
        {
            int pmuIndex = IndexOf("pmu");
            string pmu = values[pmuIndex] == null ? "none" : values[pmuIndex].ToLower();
            if (pmu == "none")
            {
                profile.Pmu = PmuKind.None;
            }
            else if (pmu == "axp192")
            {
                profile.Pmu = PmuKind.Axp192;
            }
            else if (pmu == "axp2101")
            {
                profile.Pmu = PmuKind.Axp2101;
            }
            else
            {
                throw new BoardProfileException(lines[pmuIndex], "'pmu' must be none, axp192 (T-Beam v1.0/v1.1) or axp2101 (T-Beam v1.2), found '" + values[pmuIndex] + "'.");
            }

            int adcIndex = IndexOf("battery.adc");
            profile.BatteryAdcPin = OptionalInt(values, lines, "battery.adc", NoPin);
            profile.BatteryAdcChannel = NoPin;
            if (profile.BatteryAdcPin == NoPin)
            {
                if (values[IndexOf("battery.r_top")] != null || values[IndexOf("battery.r_bottom")] != null)
                {
                    throw new BoardProfileException(lines[values[IndexOf("battery.r_top")] != null ? IndexOf("battery.r_top") : IndexOf("battery.r_bottom")], "the battery divider needs 'battery.adc', the GPIO its midpoint is wired to.");
                }

                return;
            }

            if (profile.Pmu != PmuKind.None)
            {
                throw new BoardProfileException(lines[adcIndex], "'battery.adc' and 'pmu' both measure the battery: a board with a PMU reads it there.");
            }

            for (int i = 0; i < s_adc1Gpio.Length; i++)
            {
                if (s_adc1Gpio[i] == profile.BatteryAdcPin)
                {
                    profile.BatteryAdcChannel = i;
                }
            }

            if (profile.BatteryAdcChannel == NoPin && IsClassicEsp32(profile.Target))
            {
                throw new BoardProfileException(lines[adcIndex], "'battery.adc' = " + profile.BatteryAdcPin.ToString() + ": the battery must be on an ADC1 GPIO (32–39); ADC2 cannot be read while Wi-Fi runs.");
            }

            profile.BatteryDividerTopOhms = RequiredInt(values, lines, "battery.r_top");
            profile.BatteryDividerBottomOhms = RequiredInt(values, lines, "battery.r_bottom");
            if (profile.BatteryDividerTopOhms < 0 || profile.BatteryDividerBottomOhms <= 0)
            {
                throw new BoardProfileException(lines[IndexOf("battery.r_bottom")], "the battery divider's resistors must be positive (ohms); r_top may be 0 for no divider.");
            }
        }

        private static string ParseEthernetPhy(string[] values, int[] lines, UplinkKind uplink)
        {
            int index = IndexOf("ethernet.phy");
            string value = values[index];
            if (uplink != UplinkKind.Ethernet)
            {
                if (value != null)
                {
                    throw new BoardProfileException(lines[index], "'ethernet.phy' is only for 'uplink = ethernet'.");
                }

                return null;
            }

            string phy = value == null ? "lan8720" : value.ToLower();
            for (int i = 0; i < s_ethernetPhys.Length; i++)
            {
                if (s_ethernetPhys[i] == phy)
                {
                    return phy;
                }
            }

            throw new BoardProfileException(lines[index], "'ethernet.phy' must be lan8720, ip101, rtl8201, dp83848 or ksz8041 (the PHYs ESP-IDF drives), found '" + value + "'.");
        }

        private static void ParseStorage(string[] values, int[] lines, BoardProfile profile)
        {
            bool sd = profile.StorageRoot == "D:\\";
            int interfaceIndex = IndexOf("sd.interface");
            int csIndex = IndexOf("sd.cs");
            string wiring = values[interfaceIndex];
            profile.Sd = SdInterface.None;
            profile.SdChipSelectPin = NoPin;
            if (!sd)
            {
                if (wiring != null || values[csIndex] != null)
                {
                    throw new BoardProfileException(lines[wiring != null ? interfaceIndex : csIndex], "SD card wiring is only for 'storage.root = D:\\'.");
                }
            }
            else if (wiring == null)
            {
                throw new BoardProfileException(0, "'sd.interface' is required with 'storage.root = D:\\': mmc1 (SDMMC slot, 1 bit: CLK 14, CMD 15, D0 2) or spi (on the LoRa bus, with 'sd.cs').");
            }
            else if (wiring.ToLower() == "mmc1")
            {
                profile.Sd = SdInterface.Mmc1Bit;
                if (values[csIndex] != null)
                {
                    throw new BoardProfileException(lines[csIndex], "'sd.cs' is only for 'sd.interface = spi'; the SDMMC slot has no chip select.");
                }
            }
            else if (wiring.ToLower() == "spi")
            {
                profile.Sd = SdInterface.Spi;
                if (profile.Lora == null)
                {
                    throw new BoardProfileException(lines[interfaceIndex], "'sd.interface = spi' shares the LoRa radio's SPI bus (lora.*); without a radio use mmc1.");
                }

                profile.SdChipSelectPin = RequiredInt(values, lines, "sd.cs");
            }
            else
            {
                throw new BoardProfileException(lines[interfaceIndex], "'sd.interface' must be mmc1 or spi, found '" + wiring + "'.");
            }

            int capacityIndex = IndexOf("storage.capacity_kb");
            if (values[capacityIndex] == null && sd)
            {
                throw new BoardProfileException(0, "'storage.capacity_kb' is required with 'storage.root = D:\\': the KB of the card the journal may fill.");
            }

            profile.StorageCapacityKb = OptionalInt(values, lines, "storage.capacity_kb", 192);
            if (profile.StorageCapacityKb < 64)
            {
                throw new BoardProfileException(lines[capacityIndex], "'storage.capacity_kb' must be at least 64 (one journal segment), found " + profile.StorageCapacityKb.ToString() + ".");
            }
        }

        private static UplinkKind ParseUplink(string[] values, int[] lines)
        {
            string value = Required(values, lines, "uplink").ToLower();
            if (value == "wifi")
            {
                return UplinkKind.Wifi;
            }

            if (value == "ethernet")
            {
                return UplinkKind.Ethernet;
            }

            if (value == "lora")
            {
                return UplinkKind.LoraOnly;
            }

            throw new BoardProfileException(lines[IndexOf("uplink")], "'uplink' must be wifi, ethernet or lora, found '" + value + "'.");
        }

        private static string ParseStorageRoot(string[] values, int[] lines)
        {
            string value = Required(values, lines, "storage.root").ToUpper();
            if (value == "I:\\" || value == "D:\\")
            {
                return value;
            }

            throw new BoardProfileException(lines[IndexOf("storage.root")], "'storage.root' must be I:\\ (internal flash) or D:\\ (SD card), found '" + value + "'.");
        }

        private static UartPins ParseUart(string[] values, int[] lines, string prefix, int defaultBaud)
        {
            string port = Required(values, lines, prefix + ".uart").ToUpper();
            if (port != "COM2" && port != "COM3")
            {
                throw new BoardProfileException(lines[IndexOf(prefix + ".uart")], "'" + prefix + ".uart' must be COM2 or COM3 (COM1 is the debug console), found '" + port + "'.");
            }

            int rx = RequiredInt(values, lines, prefix + ".rx");
            int tx = RequiredInt(values, lines, prefix + ".tx");
            int baud = IndexOf(prefix + ".baud") < 0 ? defaultBaud : OptionalInt(values, lines, prefix + ".baud", defaultBaud);
            if (baud < 1200 || baud > 921600)
            {
                throw new BoardProfileException(lines[IndexOf(prefix + ".baud")], "'" + prefix + ".baud' must be between 1200 and 921600, found " + baud.ToString() + ".");
            }

            return new UartPins(port, rx, tx, baud);
        }

        private static UartPins ParseConsole(string[] values, int[] lines, BoardProfile profile)
        {
            int uartIndex = IndexOf("console.uart");
            if (values[uartIndex] == null && values[IndexOf("console.rx")] == null && values[IndexOf("console.tx")] == null)
            {
                return null;
            }

            // No console.baud: the console runs at the 115,200 baud that timingmat provision, flash and selftest speak.
            UartPins console = ParseUart(values, lines, "console", ConsoleBaud);
            if (console.Port != profile.Gps.Port)
            {
                throw new BoardProfileException(lines[uartIndex], "'console.uart' = " + console.Port + ": the console can only borrow the GPS's UART (" + profile.Gps.Port + "); the reader's is never lent and COM1 is nanoFramework's wire protocol.");
            }

            if (console.RxPin >= 34 && console.RxPin <= 39 && IsClassicEsp32(profile.Target))
            {
                throw new BoardProfileException(lines[IndexOf("console.rx")], "'console.rx' = " + console.RxPin.ToString() + ": the board tells a plugged adapter by this pin's internal pull-down, which GPIO 34-39 do not have; use another GPIO.");
            }

            return console;
        }

        private static SpiPins ParseLora(string[] values, int[] lines)
        {
            int present = 0;
            for (int i = 0; i < s_loraKeys.Length; i++)
            {
                if (values[IndexOf(s_loraKeys[i])] != null)
                {
                    present++;
                }
            }

            if (present == 0)
            {
                if (values[IndexOf("lora.clock_hz")] != null)
                {
                    throw new BoardProfileException(lines[IndexOf("lora.clock_hz")], "'lora.clock_hz' needs the radio's wiring (lora.*).");
                }

                return null;
            }

            if (present != s_loraKeys.Length)
            {
                for (int i = 0; i < s_loraKeys.Length; i++)
                {
                    Required(values, lines, s_loraKeys[i]);
                }
            }

            int bus = RequiredInt(values, lines, "lora.bus");
            if (bus != 1 && bus != 2)
            {
                throw new BoardProfileException(lines[IndexOf("lora.bus")], "'lora.bus' must be 1 or 2, found " + bus.ToString() + ".");
            }

            int clockHz = OptionalInt(values, lines, "lora.clock_hz", 8000000);
            if (clockHz < 100000 || clockHz > 10000000)
            {
                throw new BoardProfileException(lines[IndexOf("lora.clock_hz")], "'lora.clock_hz' must be between 100000 and 10000000 (the SX127x's limit), found " + clockHz.ToString() + ".");
            }

            return new SpiPins(
                bus,
                RequiredInt(values, lines, "lora.mosi"),
                RequiredInt(values, lines, "lora.miso"),
                RequiredInt(values, lines, "lora.sck"),
                RequiredInt(values, lines, "lora.cs"),
                RequiredInt(values, lines, "lora.reset"),
                RequiredInt(values, lines, "lora.dio0"),
                clockHz);
        }

        private static void CheckPins(string[] values, int[] lines, string target, bool ethernet, bool sdmmc, bool pmu)
        {
            bool classic = IsClassicEsp32(target);
            bool psram = target.ToUpper().IndexOf("PSRAM") >= 0;
            int[] pins = new int[s_pinKeys.Length];
            for (int i = 0; i < s_pinKeys.Length; i++)
            {
                int index = IndexOf(s_pinKeys[i]);
                pins[i] = OptionalInt(values, lines, s_pinKeys[i], NoPin);
                if (pins[i] == NoPin)
                {
                    continue;
                }

                string problem = PinProblem(pins[i], s_pinIsOutput[i], classic, psram);
                if (problem == null && ethernet && classic && IsRmiiPin(pins[i]))
                {
                    problem = "the Ethernet PHY (RMII) owns this GPIO on an ESP32.";
                }

                if (problem == null && pmu && (pins[i] == PmuSdaPin || pins[i] == PmuSclPin))
                {
                    problem = "the PMU's I2C bus (SDA 21, SCL 22) owns this GPIO.";
                }

                if (problem == null && sdmmc && classic && (pins[i] == s_sdmmcPins[0] || pins[i] == s_sdmmcPins[1] || pins[i] == s_sdmmcPins[2]))
                {
                    problem = "the SD card (SDMMC slot: CLK 14, CMD 15, D0 2) owns this GPIO.";
                }

                if (problem != null)
                {
                    throw new BoardProfileException(lines[index], "'" + s_pinKeys[i] + "' = " + pins[i].ToString() + ": " + problem);
                }

                for (int j = 0; j < i; j++)
                {
                    if (pins[j] == pins[i])
                    {
                        throw new BoardProfileException(lines[index], "GPIO " + pins[i].ToString() + " is used by both '" + s_pinKeys[j] + "' and '" + s_pinKeys[i] + "'.");
                    }
                }
            }
        }

        private static bool IsClassicEsp32(string target)
        {
            // The S2, S3, C3, C6, H2 and P4 chips have other GPIO maps; their targets skip the classic ESP32 rules.
            string upper = target.ToUpper();
            if (!upper.StartsWith("ESP32"))
            {
                return false;
            }

            for (int i = 0; i < s_otherChipTargets.Length; i++)
            {
                if (upper.StartsWith(s_otherChipTargets[i]))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsRmiiPin(int pin)
        {
            for (int i = 0; i < s_rmiiPins.Length; i++)
            {
                if (s_rmiiPins[i] == pin)
                {
                    return true;
                }
            }

            return false;
        }

        private static string PinProblem(int pin, bool output, bool classicEsp32, bool psramTarget)
        {
            if (pin < 0 || pin > 48)
            {
                return "not a GPIO number.";
            }

            if (!classicEsp32)
            {
                return null;
            }

            if (pin > 39 || pin == 20 || pin == 24 || (pin >= 28 && pin <= 31))
            {
                return "the ESP32 has no such GPIO.";
            }

            if (pin >= 6 && pin <= 11)
            {
                return "GPIO 6–11 are wired to the SPI flash.";
            }

            if (psramTarget && (pin == 16 || pin == 17))
            {
                return "GPIO 16/17 drive the PSRAM on WROVER modules, which this target supports.";
            }

            if (pin == Uart0TxPin || pin == Uart0RxPin)
            {
                return "GPIO 1/3 are UART0, nanoFramework's wire protocol (nanoff, the debugger).";
            }

            if (output && pin >= 34)
            {
                return "GPIO 34–39 are input-only and cannot drive this line.";
            }

            return null;
        }
    }
}
