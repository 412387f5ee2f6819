namespace TimingMat.Core.Reader.Mercury
{
    /// <summary>
    /// The Mercury protocol of a ThingMagic M6e Nano, for a <see cref="ReaderDriver"/>: get version → region → read
    /// power → Gen2 → antenna → read filter off → start continuous read, each answer's opcode and status checked.
    /// While streaming, opcode-0x22 frames are tag records (reads), keep-alives (status 0x0400), temperature throttles
    /// (0x0504) or errors.
    /// </summary>
    /// <remarks>
    /// Whether the module acknowledges the start command with its own 0x2F answer before streaming is unverified
    /// (protocol reference §6), so the first 0x22 frame also confirms the start.
    /// </remarks>
    internal sealed class MercuryProtocol : IModuleProtocol
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
        private int _expectedOpcode;
        private int _status;

        /// <summary>Initializes a new instance of the <see cref="MercuryProtocol"/> class.</summary>
        /// <param name="settings">The module's settings.</param>
        internal MercuryProtocol(MercuryReaderOptions settings)
        {
            _settings = settings;
        }

        /// <inheritdoc />
        public ReaderDriverOptions Options
        {
            get { return _settings; }
        }

        /// <inheritdoc />
        public int ConfigurationSteps
        {
            get { return 6; }
        }

        /// <inheritdoc />
        public long ReissueMicros
        {
            // The module streams until stopped.
            get { return long.MaxValue; }
        }

        /// <inheritdoc />
        public int Status
        {
            get { return _status; }
        }

        /// <inheritdoc />
        public FrameDeframer CreateDeframer()
        {
            return new MercuryDeframer(false);
        }

        /// <inheritdoc />
        public int EncodeConfiguration(int step, byte[] buffer)
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
        public int EncodeLineSpeed(byte[] buffer, int baudRate)
        {
            _expectedOpcode = MercuryOpcode.SetBaudRate;
            return MercuryCodec.EncodeSetBaudRate(buffer, 0, baudRate);
        }

        /// <inheritdoc />
        public int EncodeStart(byte[] buffer)
        {
            _expectedOpcode = MercuryOpcode.MultiProtocolTagOp;
            return MercuryCodec.EncodeStartContinuousRead(buffer, 0, _settings.MetadataFlags, _settings.SearchFlags, _settings.CycleTimeoutMs);
        }

        /// <inheritdoc />
        public int EncodeStop(byte[] buffer)
        {
            return MercuryCodec.EncodeStopContinuousRead(buffer, 0);
        }

        /// <inheritdoc />
        public bool LocateEpc(byte[] frame, int offset, int length, out int epcOffset, out int epcLength)
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
        public FrameVerdict Classify(byte[] frame, int offset, int length, ReaderState state, TagRead read)
        {
            int opcode = frame[offset + 2];
            int status = (frame[offset + 3] << 8) | frame[offset + 4];
            if (opcode == MercuryOpcode.ReadTagIdMultiple && status == MercuryStatus.Ok && state == ReaderState.Reading
                && frame[offset + 1] != 0 && _decoder.TryDecode(frame, offset, length, read))
            {
                // The stream's common case: a tag record while reading, decoded in place.
                return FrameVerdict.Read;
            }

            _status = status;
            if (state == ReaderState.Configuring)
            {
                if (opcode != _expectedOpcode)
                {
                    return FrameVerdict.Ignored;
                }

                return status == MercuryStatus.Ok ? FrameVerdict.Answered : FrameVerdict.Refused;
            }

            if (opcode == MercuryOpcode.MultiProtocolTagOp)
            {
                // The start acknowledged (or its echo while reading): alive, unless it is refused.
                return state == ReaderState.Starting && status != MercuryStatus.Ok ? FrameVerdict.Error : FrameVerdict.Alive;
            }

            if (opcode != MercuryOpcode.ReadTagIdMultiple)
            {
                return FrameVerdict.Ignored;
            }

            if (frame[offset + 1] == 0)
            {
                if (status == MercuryStatus.NoTagsFound)
                {
                    return FrameVerdict.KeepAlive;
                }

                return status == MercuryStatus.TemperatureExceedsLimits ? FrameVerdict.Throttled : FrameVerdict.Error;
            }

            if (status != MercuryStatus.Ok)
            {
                return FrameVerdict.Error;
            }

            if (MercuryTagParser.ParseStreamed(frame, offset, length, _record))
            {
                _record.CopyTo(read);
                return FrameVerdict.Read;
            }

            // Stream statistics (0x0A carries the temperature, SparkFun parseResponse) are a sign of life.
            return frame[offset + 1] == 0x08 || frame[offset + 1] == 0x0A ? FrameVerdict.Alive : FrameVerdict.Malformed;
        }
    }
}
