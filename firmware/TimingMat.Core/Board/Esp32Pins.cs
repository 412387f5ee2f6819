namespace TimingMat.Core.Board
{
    /// <summary>
    /// The pins a classic ESP32 board may use and who else owns them: GPIOs the chip lacks, the SPI flash, the PSRAM,
    /// UART0, input-only pins, the Ethernet PHY, the PMU's I2C bus, the SDMMC slot, and one pin wired to two roles.
    /// Other ESP32 chips (S2, S3, C3, C6, H2, P4) have other GPIO maps and skip the classic rules.
    /// </summary>
    internal static class Esp32Pins
    {
        // The T-Beam's AXP192/AXP2101 sits on the ESP32's default I2C pins.
        private const int PmuSdaPin = 21;
        private const int PmuSclPin = 22;

        // UART0's TX and RX on the classic ESP32: nanoFramework's wire protocol (nanoff, the debugger) runs there.
        private const int Uart0TxPin = 1;
        private const int Uart0RxPin = 3;

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

        /// <summary>GPIO of the classic ESP32's ADC1, by channel (ADC2 cannot be read while Wi-Fi runs).</summary>
        internal static readonly int[] Adc1Gpio = new int[] { 36, 37, 38, 39, 32, 33, 34, 35 };

        // GPIOs the classic ESP32's Ethernet MAC fixes for its RMII PHY (REF_CLK, TXD0, TX_EN, TXD1, RXD0, RXD1, CRS_DV).
        private static readonly int[] s_rmiiPins = new int[] { 0, 19, 21, 22, 25, 26, 27 };

        private static readonly string[] s_otherChipTargets = new string[]
        {
            "ESP32_S2", "ESP32_S3", "ESP32_C3", "ESP32_C6", "ESP32_H2", "ESP32_P4",
        };

        /// <summary>Refuses a pin the chip lacks or cannot drive, one another part owns, or one wired to two roles.</summary>
        /// <param name="values">The values by key index.</param>
        /// <param name="lines">The line of each value by key index.</param>
        /// <param name="target">The firmware target (<c>board.target</c>).</param>
        /// <param name="ethernet">Whether the board's uplink is Ethernet (its PHY owns the RMII pins).</param>
        /// <param name="sdmmc">Whether an SD card sits in the SDMMC slot.</param>
        /// <param name="pmu">Whether a PMU sits on I2C SDA 21 / SCL 22.</param>
        /// <exception cref="BoardProfileException">A pin is wrong; the message names the key and the owner.</exception>
        internal static void CheckPins(string[] values, int[] lines, string target, bool ethernet, bool sdmmc, bool pmu)
        {
            bool classic = IsClassicEsp32(target);
            bool psram = target.ToUpper().IndexOf("PSRAM") >= 0;
            int[] pins = new int[s_pinKeys.Length];
            for (int i = 0; i < s_pinKeys.Length; i++)
            {
                int index = BoardKeys.IndexOf(s_pinKeys[i]);
                pins[i] = BoardKeys.OptionalInt(values, lines, s_pinKeys[i], BoardKeys.NoPin);
                if (pins[i] == BoardKeys.NoPin)
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

        /// <summary>Tells whether a firmware target is a classic ESP32 (not an S2, S3, C3, C6, H2 or P4).</summary>
        /// <param name="target">The firmware target.</param>
        /// <returns><c>true</c> for a classic ESP32.</returns>
        internal static bool IsClassicEsp32(string target)
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
