namespace TimingMat.Core.Reader.R2000
{
    /// <summary>
    /// The Impinj R2000 / E710 "0xA0" protocol, for a <see cref="ReaderDriver"/>: get firmware version → work antenna →
    /// output power → frequency region (each acknowledgement checked), then inventory commands back to back: real-time
    /// 0x89 (or session/target 0x8B) streams tag frames and ends with a round summary, on which the driver issues the
    /// next inventory at once. A "no tag" end counts as a round; any other error code restarts the module.
    /// </summary>
    /// <remarks>
    /// The module has no stop command and no keep-alive: its round summaries are the heartbeat, and an inventory that
    /// has not ended after <see cref="R2000ReaderOptions.ReissueMicros"/> is issued again (a lost summary).
    /// The module sends no timestamp; reads are stamped with the local clock only.
    /// </remarks>
    internal sealed class R2000Protocol : IModuleProtocol
    {
        private const int StepVersion = 0;
        private const int StepAntenna = 1;
        private const int StepPower = 2;
        private const int StepRegion = 3;

        private readonly R2000ReaderOptions _settings;
        private readonly R2000TagFrame _tag = new R2000TagFrame();
        private readonly int _inventoryCommand;
        private readonly bool _eightPorts;
        private int _expectedCommand;
        private int _status;

        /// <summary>Initializes a new instance of the <see cref="R2000Protocol"/> class.</summary>
        /// <param name="settings">The module's settings.</param>
        internal R2000Protocol(R2000ReaderOptions settings)
        {
            _settings = settings;
            _inventoryCommand = settings.SessionInventory ? R2000Command.SessionInventory : R2000Command.RealTimeInventory;
            _eightPorts = settings.AntennaPorts > 4;
        }

        /// <inheritdoc />
        public ReaderDriverOptions Options
        {
            get { return _settings; }
        }

        /// <inheritdoc />
        public int ConfigurationSteps
        {
            get { return 4; }
        }

        /// <inheritdoc />
        public long ReissueMicros
        {
            get { return _settings.ReissueMicros; }
        }

        /// <inheritdoc />
        public int Status
        {
            get { return _status; }
        }

        /// <inheritdoc />
        public FrameDeframer CreateDeframer()
        {
            return new R2000Deframer(false);
        }

        /// <inheritdoc />
        public int EncodeConfiguration(int step, byte[] buffer)
        {
            int address = _settings.Address;
            switch (step)
            {
                case StepVersion:
                    _expectedCommand = R2000Command.GetFirmwareVersion;
                    return R2000Codec.EncodeGetFirmwareVersion(buffer, 0, address);
                case StepAntenna:
                    _expectedCommand = R2000Command.SetWorkAntenna;
                    return R2000Codec.EncodeSetWorkAntenna(buffer, 0, address, _settings.WorkAntenna);
                case StepPower:
                    _expectedCommand = R2000Command.SetOutputPower;
                    return R2000Codec.EncodeSetOutputPower(buffer, 0, address, _settings.OutputPowerDbm);
                case StepRegion:
                default:
                    _expectedCommand = R2000Command.SetFrequencyRegion;
                    return R2000Codec.EncodeSetFrequencyRegion(buffer, 0, address, _settings.Region, _settings.FrequencyStartIndex, _settings.FrequencyEndIndex);
            }
        }

        /// <inheritdoc />
        public int EncodeLineSpeed(byte[] buffer, int baudRate)
        {
            // Not driven yet: the module stays at the speed it is found at.
            return 0;
        }

        /// <inheritdoc />
        public int EncodeStart(byte[] buffer)
        {
            if (_settings.SessionInventory)
            {
                return R2000Codec.EncodeSessionInventory(buffer, 0, _settings.Address, _settings.Session, _settings.Target, _settings.Repeat);
            }

            return R2000Codec.EncodeRealTimeInventory(buffer, 0, _settings.Address, _settings.Repeat);
        }

        /// <inheritdoc />
        public int EncodeStop(byte[] buffer)
        {
            // No stop command: a real-time inventory ends by itself after its rounds.
            return 0;
        }

        /// <inheritdoc />
        public bool LocateEpc(byte[] frame, int offset, int length, out int epcOffset, out int epcLength)
        {
            epcOffset = offset + 7;
            epcLength = 0;

            // A tag frame: A0 Len Addr Cmd FreqAnt PC(2) EPC RSSI [Phase(2)] Check, Len = EPC + 7 or + 9.
            if (length < 10 || frame[offset + 3] != _inventoryCommand)
            {
                return false;
            }

            int epc = R2000Codec.EpcBytesFromPc((frame[offset + 5] << 8) | frame[offset + 6]);
            int len = frame[offset + 1];
            if (epc <= 0 || (len != epc + 7 && len != epc + 9))
            {
                return false;
            }

            epcLength = epc;
            return true;
        }

        /// <inheritdoc />
        public FrameVerdict Classify(byte[] frame, int offset, int length, ReaderState state, TagRead read)
        {
            int command = frame[offset + 3];
            int len = frame[offset + 1];
            if (state == ReaderState.Reading && command == _inventoryCommand && len > R2000Codec.SummaryLength)
            {
                // The stream's common case: a tag frame while reading, decoded in place (R2000Codec.ParseTagFrame's rules).
                int epc = ((frame[offset + 5] & 0xF8) >> 2) & 0x3E;
                if (len != epc + 7 && len != epc + 9)
                {
                    return FrameVerdict.Malformed;
                }

                System.Array.Copy(frame, offset + 7, read.Epc, 0, epc);
                read.EpcLength = epc;
                int freqAnt = frame[offset + 4];
                int rssi = frame[offset + 7 + epc];
                int antenna = (freqAnt & 0x03) + 1;
                if (_eightPorts)
                {
                    if ((rssi & 0x80) != 0)
                    {
                        antenna += 4;
                    }

                    rssi &= 0x7F;
                }

                read.RssiCentiDbm = (rssi - 129) * 100;
                read.Antenna = antenna;
                read.FrequencyKhz = R2000Codec.FrequencyKhz(freqAnt >> 2);
                read.ReaderTimestamp = TagRead.NoReaderTimestamp;
                return FrameVerdict.Read;
            }

            if (state == ReaderState.Configuring)
            {
                if (command != _expectedCommand)
                {
                    return FrameVerdict.Ignored;
                }

                _status = len == R2000Codec.AckLength ? frame[offset + 4] : R2000Status.Fail;
                if (command == R2000Command.GetFirmwareVersion)
                {
                    return len == 5 ? FrameVerdict.Answered : FrameVerdict.Refused;
                }

                return _status == R2000Status.Success ? FrameVerdict.Answered : FrameVerdict.Refused;
            }

            if (command != _inventoryCommand)
            {
                return FrameVerdict.Ignored;
            }

            if (len == R2000Codec.AckLength)
            {
                _status = frame[offset + 4];
                return _status == R2000Status.NoTag || _status == R2000Status.Success ? FrameVerdict.RoundEnded : FrameVerdict.Error;
            }

            if (len == R2000Codec.SummaryLength)
            {
                return FrameVerdict.RoundEnded;
            }

            if (R2000Codec.ParseTagFrame(frame, offset, length, _settings.AntennaPorts, _tag))
            {
                _tag.CopyTo(read);
                return FrameVerdict.Read;
            }

            return FrameVerdict.Malformed;
        }
    }
}
