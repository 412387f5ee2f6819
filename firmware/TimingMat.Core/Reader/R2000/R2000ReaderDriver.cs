using TimingMat.Core.Hardware;

namespace TimingMat.Core.Reader.R2000
{
    /// <summary>
    /// Drives an Impinj R2000 / E710 "0xA0" module: get firmware version → work antenna → output power → frequency
    /// region (each acknowledgement checked), then inventory commands back to back: real-time 0x89 (or session/target
    /// 0x8B) streams tag frames and ends with a round summary, on which the next inventory is issued at once. A "no tag"
    /// end counts as a round; any other error code restarts the module. Recovery as in <see cref="ReaderDriver"/>.
    /// </summary>
    /// <remarks>
    /// The module has no stop command and no keep-alive: its round summaries are the heartbeat, and an inventory that
    /// has not ended after <see cref="R2000ReaderOptions.ReissueMicros"/> is issued again (a lost summary).
    /// The module sends no timestamp; reads are stamped with the local clock only.
    /// </remarks>
    internal sealed class R2000ReaderDriver : ReaderDriver
    {
        private const int StepVersion = 0;
        private const int StepAntenna = 1;
        private const int StepPower = 2;
        private const int StepRegion = 3;

        private readonly R2000ReaderOptions _settings;
        private readonly R2000TagFrame _tag = new R2000TagFrame();
        private readonly TagRead _fill;
        private readonly int _inventoryCommand;
        private readonly bool _eightPorts;
        private int _expectedCommand;
        private long _inventorySentMicros;

        /// <summary>Initializes a new instance of the <see cref="R2000ReaderDriver"/> class.</summary>
        /// <param name="port">Port of the module.</param>
        /// <param name="clock">The unit's microsecond clock.</param>
        /// <param name="sink">Where reads go.</param>
        /// <param name="options">Settings; <c>null</c> for the defaults.</param>
        public R2000ReaderDriver(IBytePort port, IMicrosecondClock clock, ITagReadSink sink, R2000ReaderOptions options)
            : base(port, clock, sink, options == null ? new R2000ReaderOptions() : options, new R2000Deframer(false))
        {
            _settings = (R2000ReaderOptions)Options;
            _fill = ReadToFill();
            _inventoryCommand = _settings.SessionInventory ? R2000Command.SessionInventory : R2000Command.RealTimeInventory;
            _eightPorts = _settings.AntennaPorts > 4;
        }

        /// <summary>Gets the number of inventory commands issued again because the previous one did not end in time.</summary>
        public long Reissues { get; private set; }

        /// <inheritdoc />
        protected override int ConfigurationSteps
        {
            get { return 4; }
        }

        /// <inheritdoc />
        protected override int EncodeConfiguration(int step, byte[] buffer)
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
        protected override int EncodeStart(byte[] buffer)
        {
            _inventorySentMicros = Now;
            if (_settings.SessionInventory)
            {
                return R2000Codec.EncodeSessionInventory(buffer, 0, _settings.Address, _settings.Session, _settings.Target, _settings.Repeat);
            }

            return R2000Codec.EncodeRealTimeInventory(buffer, 0, _settings.Address, _settings.Repeat);
        }

        /// <inheritdoc />
        protected override int EncodeStop(byte[] buffer)
        {
            // No stop command: a real-time inventory ends by itself after its rounds.
            return 0;
        }

        /// <inheritdoc />
        protected override bool LocateEpc(byte[] frame, int offset, int length, out int epcOffset, out int epcLength)
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
        protected override void HandleFrame(byte[] frame, int offset, int length, ReaderState state)
        {
            int command = frame[offset + 3];
            int len = frame[offset + 1];
            if (state == ReaderState.Reading && command == _inventoryCommand && len > R2000Codec.SummaryLength)
            {
                // The stream's common case: a tag frame while reading, decoded in place (R2000Codec.ParseTagFrame's rules).
                int epc = ((frame[offset + 5] & 0xF8) >> 2) & 0x3E;
                bool phase = len == epc + 9;
                if (len != epc + 7 && !phase)
                {
                    MalformedRecord();
                    return;
                }

                TagRead read = _fill;
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
                DeliverRead();
                return;
            }

            if (state == ReaderState.Configuring)
            {
                if (command != _expectedCommand)
                {
                    FrameIgnored();
                }
                else if (command == R2000Command.GetFirmwareVersion)
                {
                    ConfigurationAnswered(len == 5, len == R2000Codec.AckLength ? frame[offset + 4] : R2000Status.Fail);
                }
                else
                {
                    int code = len == R2000Codec.AckLength ? frame[offset + 4] : R2000Status.Fail;
                    ConfigurationAnswered(code == R2000Status.Success, code);
                }

                return;
            }

            if (command != _inventoryCommand)
            {
                FrameIgnored();
                return;
            }

            StreamingConfirmed();
            if (len == R2000Codec.AckLength)
            {
                int code = frame[offset + 4];
                if (code == R2000Status.NoTag || code == R2000Status.Success)
                {
                    RoundEnded();
                }
                else
                {
                    ErrorStatus(code);
                }

                return;
            }

            if (len == R2000Codec.SummaryLength)
            {
                RoundEnded();
                return;
            }

            if (R2000Codec.ParseTagFrame(frame, offset, length, _settings.AntennaPorts, _tag))
            {
                _tag.CopyTo(_fill);
                DeliverRead();
            }
            else
            {
                MalformedRecord();
            }
        }

        /// <inheritdoc />
        protected override void OnReadingPoll()
        {
            if (Now - LastFrameMicros >= _settings.ReissueMicros && Now - _inventorySentMicros >= _settings.ReissueMicros)
            {
                Reissues++;
                IssueInventory();
            }
        }

        private void RoundEnded()
        {
            RoundSummaryReceived();
            IssueInventory();
        }

        private void IssueInventory()
        {
            byte[] buffer = TransmitBuffer();
            Send(buffer, EncodeStart(buffer));
        }
    }
}
