namespace TimingMat.Device.BringUp
{
    /// <summary>
    /// The profile a unit uses when no <c>I:\board.cfg</c> was deployed: a copy of boards/esp32-devkitc/board.cfg
    /// (a test keeps the two identical).
    /// </summary>
    public static class DefaultBoardProfile
    {
        /// <summary>The contents of boards/esp32-devkitc/board.cfg.</summary>
        public const string Text =
            "# ESP32-DevKitC (WROOM-32E or WROVER-E): Wi-Fi mat unit with SX1276 LoRa fallback and journal on internal flash.\n"
            + "board.name = esp32-devkitc\n"
            + "board.target = ESP32_PSRAM_REV0\n"
            + "uplink = wifi\n"
            + "storage.root = I:\\\n"
            + "\n"
            + "# UHF reader module (M6e Nano or R2000) on UART2. GPIO 16/17 belong to the PSRAM on WROVER modules.\n"
            + "reader.uart = COM2\n"
            + "reader.rx = 13\n"
            + "reader.tx = 4\n"
            + "reader.baud = 115200\n"
            + "\n"
            + "# GPS module (u-blox NEO-M8N class) on UART3; PPS on a plain input.\n"
            + "gps.uart = COM3\n"
            + "gps.rx = 34\n"
            + "gps.tx = 32\n"
            + "gps.baud = 9600\n"
            + "gps.pps = 35\n"
            + "\n"
            + "# SX1276 (RFM95W) on VSPI.\n"
            + "lora.bus = 1\n"
            + "lora.mosi = 23\n"
            + "lora.miso = 19\n"
            + "lora.sck = 18\n"
            + "lora.cs = 5\n"
            + "lora.reset = 14\n"
            + "lora.dio0 = 26\n"
            + "\n"
            + "led = 2\n"
            + "\n"
            + "# Bench only: GPIO that fakes PPS pulses through a jumper to gps.pps (on-target tests, HIL harness).\n"
            + "bench.pps_drive = 27\n";
    }
}
