namespace TimingMat.Core.Board
{
    /// <summary>
    /// Reads each part of a board's wiring from its <c>board.cfg</c> keys: the uplink and Ethernet PHY, the storage and
    /// SD card, the reader's, GPS's and console's UARTs, the LoRa radio's SPI pins, the power chip or battery divider,
    /// and the crossing detector's size. Each error names the key, its line and what it takes.
    /// </summary>
    internal static class BoardWiring
    {
        // The serial console's line speed: the one the host's console tools open a serial device at.
        private const int ConsoleBaud = 115200;

        private static readonly string[] s_ethernetPhys = new string[] { "lan8720", "ip101", "rtl8201", "dp83848", "ksz8041" };

        private static readonly string[] s_loraKeys = new string[]
        {
            "lora.bus", "lora.mosi", "lora.miso", "lora.sck", "lora.cs", "lora.reset", "lora.dio0",
        };

        /// <summary>Reads <c>crossings.chips</c>, how many chips the detector follows at once (16–16384, default 256).</summary>
        /// <param name="values">The values by key index.</param>
        /// <param name="lines">The line of each value by key index.</param>
        /// <returns>The number.</returns>
        /// <exception cref="BoardProfileException">A key is missing or wrong.</exception>
        internal static int ParseCrossingChips(string[] values, int[] lines)
        {
            // The PSRAM targets also run on modules without PSRAM (a WROOM on a DevKitC), so the default fits the small heap.
            int chips = BoardKeys.OptionalInt(values, lines, "crossings.chips", 256);
            if (chips < 16 || chips > 16384)
            {
                throw new BoardProfileException(lines[BoardKeys.IndexOf("crossings.chips")], "'crossings.chips' must be between 16 and 16384, found " + chips.ToString() + ".");
            }

            return chips;
        }

        /// <summary>Reads the power chip (<c>pmu</c>) or the battery divider on an ADC1 pin (<c>battery.*</c>) into the profile.</summary>
        /// <param name="values">The values by key index.</param>
        /// <param name="lines">The line of each value by key index.</param>
        /// <param name="profile">The profile being read.</param>
        /// <exception cref="BoardProfileException">A key is missing or wrong.</exception>
        internal static void ParsePower(string[] values, int[] lines, BoardProfile profile)
        {
            int pmuIndex = BoardKeys.IndexOf("pmu");
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

            int adcIndex = BoardKeys.IndexOf("battery.adc");
            profile.BatteryAdcPin = BoardKeys.OptionalInt(values, lines, "battery.adc", BoardKeys.NoPin);
            profile.BatteryAdcChannel = BoardKeys.NoPin;
            if (profile.BatteryAdcPin == BoardKeys.NoPin)
            {
                if (values[BoardKeys.IndexOf("battery.r_top")] != null || values[BoardKeys.IndexOf("battery.r_bottom")] != null)
                {
                    throw new BoardProfileException(lines[values[BoardKeys.IndexOf("battery.r_top")] != null ? BoardKeys.IndexOf("battery.r_top") : BoardKeys.IndexOf("battery.r_bottom")], "the battery divider needs 'battery.adc', the GPIO its midpoint is wired to.");
                }

                return;
            }

            if (profile.Pmu != PmuKind.None)
            {
                throw new BoardProfileException(lines[adcIndex], "'battery.adc' and 'pmu' both measure the battery: a board with a PMU reads it there.");
            }

            for (int i = 0; i < Esp32Pins.Adc1Gpio.Length; i++)
            {
                if (Esp32Pins.Adc1Gpio[i] == profile.BatteryAdcPin)
                {
                    profile.BatteryAdcChannel = i;
                }
            }

            if (profile.BatteryAdcChannel == BoardKeys.NoPin && Esp32Pins.IsClassicEsp32(profile.Target))
            {
                throw new BoardProfileException(lines[adcIndex], "'battery.adc' = " + profile.BatteryAdcPin.ToString() + ": the battery must be on an ADC1 GPIO (32–39); ADC2 cannot be read while Wi-Fi runs.");
            }

            profile.BatteryDividerTopOhms = BoardKeys.RequiredInt(values, lines, "battery.r_top");
            profile.BatteryDividerBottomOhms = BoardKeys.RequiredInt(values, lines, "battery.r_bottom");
            if (profile.BatteryDividerTopOhms < 0 || profile.BatteryDividerBottomOhms <= 0)
            {
                throw new BoardProfileException(lines[BoardKeys.IndexOf("battery.r_bottom")], "the battery divider's resistors must be positive (ohms); r_top may be 0 for no divider.");
            }
        }

        /// <summary>Reads <c>ethernet.phy</c>, allowed only with an Ethernet uplink (default <c>lan8720</c>).</summary>
        /// <param name="values">The values by key index.</param>
        /// <param name="lines">The line of each value by key index.</param>
        /// <param name="uplink">The board's uplink.</param>
        /// <returns>The PHY, or <c>null</c> without Ethernet.</returns>
        /// <exception cref="BoardProfileException">A key is missing or wrong.</exception>
        internal static string ParseEthernetPhy(string[] values, int[] lines, UplinkKind uplink)
        {
            int index = BoardKeys.IndexOf("ethernet.phy");
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

        /// <summary>Reads the SD card's wiring and the journal's capacity into the profile.</summary>
        /// <param name="values">The values by key index.</param>
        /// <param name="lines">The line of each value by key index.</param>
        /// <param name="profile">The profile being read.</param>
        /// <exception cref="BoardProfileException">A key is missing or wrong.</exception>
        internal static void ParseStorage(string[] values, int[] lines, BoardProfile profile)
        {
            bool sd = profile.StorageRoot == "D:\\";
            int interfaceIndex = BoardKeys.IndexOf("sd.interface");
            int csIndex = BoardKeys.IndexOf("sd.cs");
            string wiring = values[interfaceIndex];
            profile.Sd = SdInterface.None;
            profile.SdChipSelectPin = BoardKeys.NoPin;
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

                profile.SdChipSelectPin = BoardKeys.RequiredInt(values, lines, "sd.cs");
            }
            else
            {
                throw new BoardProfileException(lines[interfaceIndex], "'sd.interface' must be mmc1 or spi, found '" + wiring + "'.");
            }

            int capacityIndex = BoardKeys.IndexOf("storage.capacity_kb");
            if (values[capacityIndex] == null && sd)
            {
                throw new BoardProfileException(0, "'storage.capacity_kb' is required with 'storage.root = D:\\': the KB of the card the journal may fill.");
            }

            profile.StorageCapacityKb = BoardKeys.OptionalInt(values, lines, "storage.capacity_kb", 192);
            if (profile.StorageCapacityKb < 64)
            {
                throw new BoardProfileException(lines[capacityIndex], "'storage.capacity_kb' must be at least 64 (one journal segment), found " + profile.StorageCapacityKb.ToString() + ".");
            }
        }

        /// <summary>Reads <c>uplink</c>: wifi, ethernet or lora.</summary>
        /// <param name="values">The values by key index.</param>
        /// <param name="lines">The line of each value by key index.</param>
        /// <returns>The uplink.</returns>
        /// <exception cref="BoardProfileException">A key is missing or wrong.</exception>
        internal static UplinkKind ParseUplink(string[] values, int[] lines)
        {
            string value = BoardKeys.Required(values, lines, "uplink").ToLower();
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

            throw new BoardProfileException(lines[BoardKeys.IndexOf("uplink")], "'uplink' must be wifi, ethernet or lora, found '" + value + "'.");
        }

        /// <summary>Reads <c>storage.root</c>: <c>I:\</c> or <c>D:\</c>.</summary>
        /// <param name="values">The values by key index.</param>
        /// <param name="lines">The line of each value by key index.</param>
        /// <returns>The drive.</returns>
        /// <exception cref="BoardProfileException">A key is missing or wrong.</exception>
        internal static string ParseStorageRoot(string[] values, int[] lines)
        {
            string value = BoardKeys.Required(values, lines, "storage.root").ToUpper();
            if (value == "I:\\" || value == "D:\\")
            {
                return value;
            }

            throw new BoardProfileException(lines[BoardKeys.IndexOf("storage.root")], "'storage.root' must be I:\\ (internal flash) or D:\\ (SD card), found '" + value + "'.");
        }

        /// <summary>Reads one UART's port, pins and speed (<c>PREFIX.uart</c>, <c>.rx</c>, <c>.tx</c>, <c>.baud</c>).</summary>
        /// <param name="values">The values by key index.</param>
        /// <param name="lines">The line of each value by key index.</param>
        /// <param name="prefix">The keys' group, e.g. <c>reader</c>.</param>
        /// <param name="defaultBaud">The speed when <c>PREFIX.baud</c> is not set.</param>
        /// <returns>The UART.</returns>
        /// <exception cref="BoardProfileException">A key is missing or wrong.</exception>
        internal static UartPins ParseUart(string[] values, int[] lines, string prefix, int defaultBaud)
        {
            string port = BoardKeys.Required(values, lines, prefix + ".uart").ToUpper();
            if (port != "COM2" && port != "COM3")
            {
                throw new BoardProfileException(lines[BoardKeys.IndexOf(prefix + ".uart")], "'" + prefix + ".uart' must be COM2 or COM3 (COM1 is the debug console), found '" + port + "'.");
            }

            int rx = BoardKeys.RequiredInt(values, lines, prefix + ".rx");
            int tx = BoardKeys.RequiredInt(values, lines, prefix + ".tx");
            int baud = BoardKeys.IndexOf(prefix + ".baud") < 0 ? defaultBaud : BoardKeys.OptionalInt(values, lines, prefix + ".baud", defaultBaud);
            if (baud < 1200 || baud > 921600)
            {
                throw new BoardProfileException(lines[BoardKeys.IndexOf(prefix + ".baud")], "'" + prefix + ".baud' must be between 1200 and 921600, found " + baud.ToString() + ".");
            }

            return new UartPins(port, rx, tx, baud);
        }

        /// <summary>Reads the serial console's UART, which may only borrow the GPS's.</summary>
        /// <param name="values">The values by key index.</param>
        /// <param name="lines">The line of each value by key index.</param>
        /// <param name="profile">The profile being read.</param>
        /// <returns>The UART, or <c>null</c> for a console on the network only.</returns>
        /// <exception cref="BoardProfileException">A key is missing or wrong.</exception>
        internal static UartPins ParseConsole(string[] values, int[] lines, BoardProfile profile)
        {
            int uartIndex = BoardKeys.IndexOf("console.uart");
            if (values[uartIndex] == null && values[BoardKeys.IndexOf("console.rx")] == null && values[BoardKeys.IndexOf("console.tx")] == null)
            {
                return null;
            }

            // No console.baud: the console runs at the 115,200 baud that timingmat provision, flash and selftest speak.
            UartPins console = ParseUart(values, lines, "console", ConsoleBaud);
            if (console.Port != profile.Gps.Port)
            {
                throw new BoardProfileException(lines[uartIndex], "'console.uart' = " + console.Port + ": the console can only borrow the GPS's UART (" + profile.Gps.Port + "); the reader's is never lent and COM1 is nanoFramework's wire protocol.");
            }

            if (console.RxPin >= 34 && console.RxPin <= 39 && Esp32Pins.IsClassicEsp32(profile.Target))
            {
                throw new BoardProfileException(lines[BoardKeys.IndexOf("console.rx")], "'console.rx' = " + console.RxPin.ToString() + ": the board tells a plugged adapter by this pin's internal pull-down, which GPIO 34-39 do not have; use another GPIO.");
            }

            return console;
        }

        /// <summary>Reads the LoRa radio's SPI wiring (all of <c>lora.*</c> or none).</summary>
        /// <param name="values">The values by key index.</param>
        /// <param name="lines">The line of each value by key index.</param>
        /// <returns>The wiring, or <c>null</c> without a radio.</returns>
        /// <exception cref="BoardProfileException">A key is missing or wrong.</exception>
        internal static SpiPins ParseLora(string[] values, int[] lines)
        {
            int present = 0;
            for (int i = 0; i < s_loraKeys.Length; i++)
            {
                if (values[BoardKeys.IndexOf(s_loraKeys[i])] != null)
                {
                    present++;
                }
            }

            if (present == 0)
            {
                if (values[BoardKeys.IndexOf("lora.clock_hz")] != null)
                {
                    throw new BoardProfileException(lines[BoardKeys.IndexOf("lora.clock_hz")], "'lora.clock_hz' needs the radio's wiring (lora.*).");
                }

                return null;
            }

            if (present != s_loraKeys.Length)
            {
                for (int i = 0; i < s_loraKeys.Length; i++)
                {
                    BoardKeys.Required(values, lines, s_loraKeys[i]);
                }
            }

            int bus = BoardKeys.RequiredInt(values, lines, "lora.bus");
            if (bus != 1 && bus != 2)
            {
                throw new BoardProfileException(lines[BoardKeys.IndexOf("lora.bus")], "'lora.bus' must be 1 or 2, found " + bus.ToString() + ".");
            }

            int clockHz = BoardKeys.OptionalInt(values, lines, "lora.clock_hz", 8000000);
            if (clockHz < 100000 || clockHz > 10000000)
            {
                throw new BoardProfileException(lines[BoardKeys.IndexOf("lora.clock_hz")], "'lora.clock_hz' must be between 100000 and 10000000 (the SX127x's limit), found " + clockHz.ToString() + ".");
            }

            return new SpiPins(
                bus,
                BoardKeys.RequiredInt(values, lines, "lora.mosi"),
                BoardKeys.RequiredInt(values, lines, "lora.miso"),
                BoardKeys.RequiredInt(values, lines, "lora.sck"),
                BoardKeys.RequiredInt(values, lines, "lora.cs"),
                BoardKeys.RequiredInt(values, lines, "lora.reset"),
                BoardKeys.RequiredInt(values, lines, "lora.dio0"),
                clockHz);
        }
    }
}
