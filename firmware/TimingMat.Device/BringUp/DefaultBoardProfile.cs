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
            + "# WROOM-32E has no PSRAM (no TLS); on a WROVER-E set yes.\n"
            + "board.psram = no\n"
            + "uplink = wifi\n"
            + "# Journal on internal flash: nanoFramework's 256 KB LittleFS partition on a 4 MB module, less the board and unit\n"
            + "# files. 2,931 passings = 15 min of total uplink outage at a busy finish: at a finish use the SD card (README).\n"
            + "storage.root = I:\\\n"
            + "storage.capacity_kb = 192\n"
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
            + "# Serial console (firmware/docs/console.md) for a first provisioning without a network: a 3.3 V USB-serial adapter\n"
            + "# on GPIO 33 (its TX) and 21 (its RX). No UART is free, so the console borrows the GPS's for a boot that finds the\n"
            + "# adapter plugged in (GPIO 33 high against its pull-down); without it the GPS keeps COM3.\n"
            + "console.uart = COM3\n"
            + "console.rx = 33\n"
            + "console.tx = 21\n"
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
            + "# Active buzzer through an NPN transistor (high sounds).\n"
            + "buzzer = 25\n"
            + "\n"
            + "# 12.8 V LiFePO4 pack through a 560 k / 100 k divider to ADC1 channel 0 (VP): 14.6 V full charge reads 2.21 V.\n"
            + "battery.adc = 36\n"
            + "battery.r_top = 560000\n"
            + "battery.r_bottom = 100000\n"
            + "\n"
            + "# Bench only: GPIO that fakes PPS pulses through a jumper to gps.pps (on-target tests, HIL harness).\n"
            + "bench.pps_drive = 27\n";
    }
}
