namespace TimingMat.Core.Reader.R2000
{
    /// <summary>
    /// Finds R2000 "0xA0" frames in a serial byte stream (module answers, or host commands for the module emulator).
    /// </summary>
    /// <remarks>
    /// <para>The 8-bit checksum passes one random candidate in 256, far too weak to resynchronise on alone: a false
    /// frame found in noise would swallow the real frames under it. So, beyond the checksum:</para>
    /// <list type="bullet">
    /// <item>An inventory answer (0x89, 0x8A, 0x8B) must have a consistent Len: 4 (one code), 0x0A (round summary), or
    /// the EPC length its PC announces + 7 (+ 9 with phase). A frame that fails this where a frame was expected counts
    /// as malformed.</item>
    /// <item>While resynchronising (not where a frame was expected) only known commands with one of their known
    /// lengths are accepted. In sync, other frames with a valid checksum are accepted as weak evidence: unless a
    /// valid frame lies inside them, so unknown answers still decode but noise after a frame does not swallow the
    /// frames behind it.</item>
    /// <item>A valid frame that contains a valid frame, or that a valid frame starts inside and runs past, loses to it
    /// (see <see cref="FrameDeframer.WeakChecksum"/>): it is a frame that lost bytes or was cut short.</item>
    /// </list>
    /// </remarks>
    public sealed class R2000Deframer : FrameDeframer
    {
        private readonly bool _commands;

        /// <summary>Initializes a new instance of the <see cref="R2000Deframer"/> class.</summary>
        /// <param name="commands"><c>true</c> to find host commands (what a module receives), <c>false</c> for module answers.</param>
        public R2000Deframer(bool commands)
            : base(R2000Codec.Header)
        {
            _commands = commands;
        }

        /// <inheritdoc />
        protected override bool WeakChecksum
        {
            get { return true; }
        }

        /// <inheritdoc />
        protected override int FrameSize(byte[] buffer, int start)
        {
            int length = buffer[start + 1];
            return length < 3 ? -1 : length + 2;
        }

        /// <inheritdoc />
        protected override int Check(byte[] buffer, int start, int size, bool synced)
        {
            // Four bytes a turn: the loop's own test and increment cost as much as a byte's add on the interpreter.
            int sum = 0;
            int i = start;
            int end = start + size;
            int quads = end - 3;
            while (i < quads)
            {
                sum += buffer[i] + buffer[i + 1] + buffer[i + 2] + buffer[i + 3];
                i += 4;
            }

            while (i < end)
            {
                sum += buffer[i];
                i++;
            }

            if ((sum & 0xFF) != 0)
            {
                return ChecksumError;
            }

            int length = buffer[start + 1];
            int command = buffer[start + 3];
            if (_commands)
            {
                return IsKnownCommandLength(command, length) ? Valid : (synced ? Weak : Rejected);
            }

            if (command == R2000Command.RealTimeInventory || command == R2000Command.SessionInventory || R2000Command.IsInventory(command))
            {
                if (length > 7 && length != R2000Codec.SummaryLength)
                {
                    // A tag frame (the stream's common case): PC and EPC length agree, with or without a phase word.
                    int epc = ((buffer[start + 5] & 0xF8) >> 2) & 0x3E;
                    return length == epc + 7 || length == epc + 9 ? Valid : Malformed;
                }

                return IsInventoryAnswerLength(buffer, start, length) ? Valid : Malformed;
            }

            return IsKnownAnswerLength(buffer, start, command, length) ? Valid : (synced ? Weak : Rejected);
        }

        private static bool IsInventoryAnswerLength(byte[] buffer, int start, int length)
        {
            if (length == R2000Codec.AckLength || length == R2000Codec.SummaryLength)
            {
                return true;
            }

            if (length < 7)
            {
                return false;
            }

            int epc = R2000Codec.EpcBytesFromPc((buffer[start + 5] << 8) | buffer[start + 6]);
            return length == epc + 7 || length == epc + 9;
        }

        private static bool IsKnownAnswerLength(byte[] buffer, int start, int command, int length)
        {
            switch (command)
            {
                case R2000Command.SetBaudRate:
                case R2000Command.SetReaderAddress:
                case R2000Command.SetWorkAntenna:
                case R2000Command.SetOutputPower:
                case R2000Command.SetFrequencyRegion:
                case R2000Command.SetBeeperMode:
                case R2000Command.ResetInventoryBuffer:
                case R2000Command.GetWorkAntenna:
                    return length == 4;
                case R2000Command.GetFirmwareVersion:
                case R2000Command.GetReaderTemperature:
                    return length == 5 || length == 4;
                case R2000Command.GetOutputPower:
                    return length == 4 || length == 7 || length == 11;
                case R2000Command.GetFrequencyRegion:
                    return length == 4 || length == 6 || length == 9;
                case R2000Command.Inventory:
                    return length == 4 || length == 12;
                case R2000Command.GetInventoryBufferTagCount:
                    return length == 4 || length == 5;
                case R2000Command.GetInventoryBuffer:
                case R2000Command.GetAndResetInventoryBuffer:
                    // TagCount(2) DataLen(1) PC+EPC+CRC(DataLen) RSSI FreqAnt InvCount.
                    return length == 4 || (length >= 12 && length == buffer[start + 6] + 9);
                default:
                    return false;
            }
        }

        private static bool IsKnownCommandLength(int command, int length)
        {
            switch (command)
            {
                case R2000Command.Reset:
                case R2000Command.GetFirmwareVersion:
                case R2000Command.GetWorkAntenna:
                case R2000Command.GetOutputPower:
                case R2000Command.GetFrequencyRegion:
                case R2000Command.GetReaderTemperature:
                    return length == 3;
                case R2000Command.SetBaudRate:
                case R2000Command.SetReaderAddress:
                case R2000Command.SetWorkAntenna:
                case R2000Command.SetBeeperMode:
                case R2000Command.RealTimeInventory:
                case R2000Command.Inventory:
                    return length == 4;
                case R2000Command.SetOutputPower:
                    return length == 4 || length == 7 || length == 11;
                case R2000Command.SetFrequencyRegion:
                    return length == 6 || length == 9;
                case R2000Command.SessionInventory:
                    return length >= 6 && length <= 9;
                case R2000Command.FastSwitchInventory:
                    return length == 13;
                default:
                    return false;
            }
        }
    }
}
