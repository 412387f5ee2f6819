namespace TimingMat.Core.Reader.R2000
{
    /// <summary>Command codes of the Impinj R2000 / E710 "0xA0" module protocol (pyImpinj <c>enums.py</c>).</summary>
    public static class R2000Command
    {
        /// <summary>Reset the module (no answer; the module reboots with its saved settings).</summary>
        public const int Reset = 0x70;

        /// <summary>Set UART baud rate (3 = 38400, 4 = 115200).</summary>
        public const int SetBaudRate = 0x71;

        /// <summary>Get firmware version: answered with major, minor.</summary>
        public const int GetFirmwareVersion = 0x72;

        /// <summary>Set reader address.</summary>
        public const int SetReaderAddress = 0x73;

        /// <summary>Set work antenna (0-based).</summary>
        public const int SetWorkAntenna = 0x74;

        /// <summary>Get work antenna.</summary>
        public const int GetWorkAntenna = 0x75;

        /// <summary>Set RF output power in dBm: 1 byte for all antennas, or 4 (8) bytes, one per antenna.</summary>
        public const int SetOutputPower = 0x76;

        /// <summary>Get RF output power.</summary>
        public const int GetOutputPower = 0x77;

        /// <summary>Set frequency region: region, start index, end index.</summary>
        public const int SetFrequencyRegion = 0x78;

        /// <summary>Get frequency region.</summary>
        public const int GetFrequencyRegion = 0x79;

        /// <summary>Set beeper mode.</summary>
        public const int SetBeeperMode = 0x7A;

        /// <summary>Get the reader's temperature: sign, degrees Celsius.</summary>
        public const int GetReaderTemperature = 0x7B;

        /// <summary>Buffered inventory.</summary>
        public const int Inventory = 0x80;

        /// <summary>Read tag memory.</summary>
        public const int Read = 0x81;

        /// <summary>Real-time inventory (data: repeat): streams tag frames, then a round summary.</summary>
        public const int RealTimeInventory = 0x89;

        /// <summary>Fast-switch antenna inventory.</summary>
        public const int FastSwitchInventory = 0x8A;

        /// <summary>Customised session/target inventory (data: session, target, repeat).</summary>
        public const int SessionInventory = 0x8B;

        /// <summary>Get inventory buffer.</summary>
        public const int GetInventoryBuffer = 0x90;

        /// <summary>Get and reset inventory buffer.</summary>
        public const int GetAndResetInventoryBuffer = 0x91;

        /// <summary>Get inventory buffer tag count.</summary>
        public const int GetInventoryBufferTagCount = 0x92;

        /// <summary>Reset inventory buffer.</summary>
        public const int ResetInventoryBuffer = 0x93;

        /// <summary>Tells whether a command streams tag frames (real-time, fast-switch or session inventory).</summary>
        /// <param name="command">Command code.</param>
        /// <returns><c>true</c> for 0x89, 0x8A and 0x8B.</returns>
        public static bool IsInventory(int command)
        {
            return command == RealTimeInventory || command == FastSwitchInventory || command == SessionInventory;
        }

        /// <summary>Gets a short snake_case name of a command, for logs and the decoder.</summary>
        /// <param name="command">Command code.</param>
        /// <returns>The name, or <c>"unknown"</c>.</returns>
        public static string Name(int command)
        {
            switch (command)
            {
                case Reset: return "reset";
                case SetBaudRate: return "set_baud_rate";
                case GetFirmwareVersion: return "get_firmware_version";
                case SetReaderAddress: return "set_reader_address";
                case SetWorkAntenna: return "set_work_antenna";
                case GetWorkAntenna: return "get_work_antenna";
                case SetOutputPower: return "set_output_power";
                case GetOutputPower: return "get_output_power";
                case SetFrequencyRegion: return "set_frequency_region";
                case GetFrequencyRegion: return "get_frequency_region";
                case SetBeeperMode: return "set_beeper_mode";
                case GetReaderTemperature: return "get_reader_temperature";
                case Inventory: return "inventory";
                case Read: return "read";
                case RealTimeInventory: return "real_time_inventory";
                case FastSwitchInventory: return "fast_switch_inventory";
                case SessionInventory: return "session_inventory";
                case GetInventoryBuffer: return "get_inventory_buffer";
                case GetAndResetInventoryBuffer: return "get_and_reset_inventory_buffer";
                case GetInventoryBufferTagCount: return "get_inventory_buffer_tag_count";
                case ResetInventoryBuffer: return "reset_inventory_buffer";
                default: return "unknown";
            }
        }
    }
}
