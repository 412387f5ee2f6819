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
    internal sealed class MercuryReaderDriver : ReaderDriver
    {
        private const int StepVersion = 0;
        private const int StepRegion = 1;
        private const int StepPower = 2;
        private const int StepProtocol = 3;
        private const int StepAntenna = 4;
        private const int StepFilter = 5;

        private readonly MercuryReaderOptions _settings;
        private readonly MercuryTagRecord _record = new MercuryTagRecord();
        private readonly MercuryStreamDecoder _decoder = new MercuryStreamDecoder();
        private readonly TagRead _fill;
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
            _fill = ReadToFill();
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
        protected override bool LocateEpc(byte[] frame, int offset, int length, out int epcOffset, out int epcLength)
        {
            epcOffset = 0;
            epcLength = 0;

            // A streamed 0x22 with status 0 and metadata: ... flags(2) count(1) metadata EPC-bits(2) PC(2) EPC CRC(2) frame-CRC(2).
            if (length < 19 || frame[offset + 2] != MercuryOpcode.ReadTagIdMultiple || frame[offset + 3] != 0 || frame[offset + 4] != 0
                || (frame[offset + 5] & MercuryTagParser.OptionMetadata) == 0)
            {
                return false;
            }

            int flags = (frame[offset + 8] << 8) | frame[offset + 9];
            int end = offset + length - 2;
            if ((flags & ~MercuryMetadata.Known) != 0)
            {
                return false;
            }

            // The metadata fields in their order (MercuryTagParser.ParseRecord); tag data carries its own bit count.
            int p = offset + 11;
            p += (flags & MercuryMetadata.ReadCount) != 0 ? 1 : 0;
            p += (flags & MercuryMetadata.Rssi) != 0 ? 1 : 0;
            p += (flags & MercuryMetadata.AntennaId) != 0 ? 1 : 0;
            p += (flags & MercuryMetadata.Frequency) != 0 ? 3 : 0;
            p += (flags & MercuryMetadata.Timestamp) != 0 ? 4 : 0;
            p += (flags & MercuryMetadata.Phase) != 0 ? 2 : 0;
            p += (flags & MercuryMetadata.Protocol) != 0 ? 1 : 0;
            if ((flags & MercuryMetadata.Data) != 0)
            {
                if (p + 2 > end)
                {
                    return false;
                }

                p += 2 + ((((frame[p] << 8) | frame[p + 1]) + 7) >> 3);
            }

            p += (flags & MercuryMetadata.GpioStatus) != 0 ? 1 : 0;
            p += (flags & MercuryMetadata.Gen2Q) != 0 ? 1 : 0;
            p += (flags & MercuryMetadata.Gen2LinkFrequency) != 0 ? 1 : 0;
            p += (flags & MercuryMetadata.Gen2Target) != 0 ? 1 : 0;
            p += (flags & MercuryMetadata.BrandIdentifier) != 0 ? 2 : 0;
            if (p + 4 > end)
            {
                return false;
            }

            int total = ((frame[p] << 8) | frame[p + 1]) >> 3;
            if ((frame[p + 2] & 0x02) != 0 || total < 5 || p + 2 + total > end)
            {
                // Too short, past the frame, or XPC words after the PC.
                return false;
            }

            epcOffset = p + 4;
            epcLength = total - 4;
            return true;
        }

        /// <inheritdoc />
        protected override void HandleFrame(byte[] frame, int offset, int length, ReaderState state)
        {
            int opcode = frame[offset + 2];
            int status = (frame[offset + 3] << 8) | frame[offset + 4];
            if (opcode == MercuryOpcode.ReadTagIdMultiple && status == MercuryStatus.Ok && state == ReaderState.Reading
                && frame[offset + 1] != 0 && _decoder.TryDecode(frame, offset, length, _fill))
            {
                // The stream's common case: a tag record while reading, decoded in place.
                DeliverRead();
                return;
            }

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
                _record.CopyTo(_fill);
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
