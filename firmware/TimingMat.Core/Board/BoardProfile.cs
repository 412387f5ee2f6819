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

        // Index of each key in the parse tables. Keys ending in a pin role are checked for conflicts.
        private static readonly string[] s_keys = new string[]
        {
            "board.name", "board.target", "uplink", "storage.root",
            "reader.uart", "reader.rx", "reader.tx", "reader.baud",
            "gps.uart", "gps.rx", "gps.tx", "gps.baud", "gps.pps",
            "lora.bus", "lora.mosi", "lora.miso", "lora.sck", "lora.cs", "lora.reset", "lora.dio0",
            "led", "bench.pps_drive",
            "crossings.chips",
        };

        // Pin keys and whether the ESP32 drives them (an input-only GPIO 34–39 cannot be used for those).
        private static readonly string[] s_pinKeys = new string[]
        {
            "reader.rx", "reader.tx", "gps.rx", "gps.tx", "gps.pps",
            "lora.mosi", "lora.miso", "lora.sck", "lora.cs", "lora.reset", "lora.dio0", "led", "bench.pps_drive",
        };

        private static readonly bool[] s_pinIsOutput = new bool[]
        {
            false, true, false, true, false,
            true, false, true, true, true, false, true, true,
        };

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
            CheckPins(values, lines, profile.Target, profile.Uplink == UplinkKind.Ethernet);
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
            int baud = OptionalInt(values, lines, prefix + ".baud", defaultBaud);
            if (baud < 1200 || baud > 921600)
            {
                throw new BoardProfileException(lines[IndexOf(prefix + ".baud")], "'" + prefix + ".baud' must be between 1200 and 921600, found " + baud.ToString() + ".");
            }

            return new UartPins(port, rx, tx, baud);
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

            return new SpiPins(
                bus,
                RequiredInt(values, lines, "lora.mosi"),
                RequiredInt(values, lines, "lora.miso"),
                RequiredInt(values, lines, "lora.sck"),
                RequiredInt(values, lines, "lora.cs"),
                RequiredInt(values, lines, "lora.reset"),
                RequiredInt(values, lines, "lora.dio0"));
        }

        private static void CheckPins(string[] values, int[] lines, string target, bool ethernet)
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

            if (output && pin >= 34)
            {
                return "GPIO 34–39 are input-only and cannot drive this line.";
            }

            return null;
        }
    }
}
