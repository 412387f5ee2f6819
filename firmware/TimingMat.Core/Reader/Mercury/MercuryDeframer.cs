using TimingMat.Core.Common;

namespace TimingMat.Core.Reader.Mercury
{
    /// <summary>
    /// Finds Mercury frames in a serial byte stream: responses (module → host, LEN + 7 bytes) or commands
    /// (host → module, LEN + 5 bytes, for the module emulator and for decoding a host-side capture). A frame is valid
    /// when LEN ≤ 250 and its CRC (<see cref="Crc16.Mercury"/>) matches; resync and error counting as in
    /// <see cref="FrameDeframer"/>.
    /// </summary>
    public sealed class MercuryDeframer : FrameDeframer
    {
        private readonly int _overhead;

        /// <summary>Initializes a new instance of the <see cref="MercuryDeframer"/> class.</summary>
        /// <param name="commands"><c>true</c> to find commands (what a module receives), <c>false</c> for responses.</param>
        public MercuryDeframer(bool commands)
            : base(MercuryCodec.Header)
        {
            _overhead = commands ? MercuryCodec.CommandOverhead : MercuryCodec.ResponseOverhead;
        }

        /// <inheritdoc />
        protected override int FrameSize(byte[] buffer, int start)
        {
            int length = buffer[start + 1];
            return length > MercuryCodec.MaxDataLength ? -1 : length + _overhead;
        }

        /// <inheritdoc />
        protected override int Check(byte[] buffer, int start, int size, bool synced)
        {
            int crc = Crc16.Mercury(buffer, start + 1, size - 3);
            return buffer[start + size - 2] == (byte)(crc >> 8) && buffer[start + size - 1] == (byte)crc ? Valid : ChecksumError;
        }
    }
}
