using TimingMat.Core.Hardware;

namespace TimingMat.Core.Reader.Mercury
{
    /// <summary>
    /// Drives a ThingMagic M6e Nano (Mercury protocol) in continuous reading: get version → region → read power →
    /// Gen2 → antenna → read filter off → start continuous read, each answer's opcode and status checked. While
    /// streaming, opcode-0x22 frames are tag records (delivered), keep-alives (status 0x0400), temperature throttles
    /// (0x0504, surfaced) or errors (restart). Recovery as in <see cref="ReaderDriver"/>.
    /// </summary>
    /// <remarks>
    /// Whether the module acknowledges the start command with its own 0x2F answer before streaming is unverified
    /// (protocol reference §6), so the first 0x22 frame also confirms the start.
    /// </remarks>
    public sealed class MercuryReaderDriver : ReaderDriver
    {
        private const int StepVersion = 0;
        private const int StepRegion = 1;
        private const int StepPower = 2;
        private const int StepProtocol = 3;
        private const int StepAntenna = 4;
        private const int StepFilter = 5;

        private readonly MercuryReaderOptions _settings;
        private readonly MercuryTagRecord _record = new MercuryTagRecord();
        private int _expectedOpcode;

        /// <summary>Initializes a new instance of the <see cref="MercuryReaderDriver"/> class.</summary>
        /// <param name="port">Port of the module.</param>
        /// <param name="clock">The unit's microsecond clock.</param>
        /// <param name="sink">Where reads go.</param>
        /// <param name="options">Settings; <c>null</c> for the defaults.</param>
        public MercuryReaderDriver(IBytePort port, IMicrosecondClock clock, ITagReadSink sink, MercuryReaderOptions options)
            : base(port, clock, sink, options == null ? new MercuryReaderOptions() : options, new MercuryDeframer(false))
        {
            _settings = (MercuryReaderOptions)Options;
        }

        /// <summary>Gets the last record parsed (all fields, e.g. phase and read count); valid until the next poll.</summary>
        public MercuryTagRecord LastRecord
        {
            get { return _record; }
        }

        /// <inheritdoc />
        protected override int ConfigurationSteps
        {
            get { return 6; }
        }

        /// <inheritdoc />
        protected override int EncodeConfiguration(int step, byte[] buffer)
        {
            switch (step)
            {
                case StepVersion:
                    _expectedOpcode = MercuryOpcode.Version;
                    return MercuryCodec.EncodeGetVersion(buffer, 0);
                case StepRegion:
                    _expectedOpcode = MercuryOpcode.SetRegion;
                    return MercuryCodec.EncodeSetRegion(buffer, 0, _settings.Region);
                case StepPower:
                    _expectedOpcode = MercuryOpcode.SetReadTxPower;
                    return MercuryCodec.EncodeSetReadPower(buffer, 0, _settings.ReadPowerCentiDbm);
                case StepProtocol:
                    _expectedOpcode = MercuryOpcode.SetTagProtocol;
                    return MercuryCodec.EncodeSetProtocolGen2(buffer, 0);
                case StepAntenna:
                    _expectedOpcode = MercuryOpcode.SetAntennaPort;
                    return MercuryCodec.EncodeSetAntennaPort(buffer, 0, _settings.TxPort, _settings.RxPort);
                case StepFilter:
                default:
                    _expectedOpcode = MercuryOpcode.SetReaderOptionalParams;
                    return MercuryCodec.EncodeSetReadFilter(buffer, 0, false);
            }
        }

        /// <inheritdoc />
        protected override int EncodeLineSpeed(byte[] buffer, int baudRate)
        {
            _expectedOpcode = MercuryOpcode.SetBaudRate;
            return MercuryCodec.EncodeSetBaudRate(buffer, 0, baudRate);
        }

        /// <inheritdoc />
        protected override int EncodeStart(byte[] buffer)
        {
            _expectedOpcode = MercuryOpcode.MultiProtocolTagOp;
            return MercuryCodec.EncodeStartContinuousRead(buffer, 0, _settings.MetadataFlags, _settings.SearchFlags, _settings.CycleTimeoutMs);
        }

        /// <inheritdoc />
        protected override int EncodeStop(byte[] buffer)
        {
            return MercuryCodec.EncodeStopContinuousRead(buffer, 0);
        }

        /// <inheritdoc />
        protected override void HandleFrame(byte[] frame, int offset, int length)
        {
            int opcode = frame[offset + 2];
            int status = (frame[offset + 3] << 8) | frame[offset + 4];
            ReaderState state = State;
            if (state == ReaderState.Configuring)
            {
                if (opcode == _expectedOpcode)
                {
                    ConfigurationAnswered(status == MercuryStatus.Ok, status);
                }
                else
                {
                    FrameIgnored();
                }

                return;
            }

            if (opcode == MercuryOpcode.MultiProtocolTagOp)
            {
                if (state == ReaderState.Starting)
                {
                    if (status == MercuryStatus.Ok)
                    {
                        StreamingConfirmed();
                    }
                    else
                    {
                        ErrorStatus(status);
                    }
                }
                else
                {
                    MarkAlive();
                }

                return;
            }

            if (opcode != MercuryOpcode.ReadTagIdMultiple)
            {
                FrameIgnored();
                return;
            }

            StreamingConfirmed();
            if (frame[offset + 1] == 0)
            {
                if (status == MercuryStatus.NoTagsFound)
                {
                    KeepAliveReceived();
                }
                else if (status == MercuryStatus.TemperatureExceedsLimits)
                {
                    ThrottleReceived(status);
                }
                else
                {
                    ErrorStatus(status);
                }

                return;
            }

            if (status != MercuryStatus.Ok)
            {
                ErrorStatus(status);
                return;
            }

            if (MercuryTagParser.ParseStreamed(frame, offset, length, _record))
            {
                _record.CopyTo(ReadToFill());
                DeliverRead();
            }
            else if (frame[offset + 1] == 0x08 || frame[offset + 1] == 0x0A)
            {
                // Stream statistics (0x0A carries the temperature, SparkFun parseResponse): a sign of life.
                MarkAlive();
            }
            else
            {
                MalformedRecord();
            }
        }
    }
}
