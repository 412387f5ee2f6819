using System;
using System.Security.Cryptography;
using TimingMat.Core.Hardware;

namespace TimingMat.Device.Adapters
{
    /// <summary>HMAC-SHA256 by nanoFramework.System.Security.Cryptography, whose <c>HashCore</c> is native (mbedTLS).</summary>
    /// <remarks>
    /// The firmware image must carry that library's native part (see the board READMEs); on an image without it the
    /// first call throws NotSupportedException, which the unit reports instead of accepting unsigned commands.
    /// <c>HashData</c> hashes a whole array, so a message shorter than its buffer is copied first: commands and LoRa
    /// acks are a few per second at most, and this keeps the key and buffers owned by the caller.
    /// </remarks>
    public sealed class NativeHmacSha256 : IHmacSha256
    {
        /// <inheritdoc />
        public void Compute(byte[] key, byte[] message, int length, byte[] tag)
        {
            if (length < 0 || length > message.Length)
            {
                throw new ArgumentOutOfRangeException("length");
            }

            byte[] source = message;
            if (length != message.Length)
            {
                source = new byte[length];
                Array.Copy(message, source, length);
            }

            byte[] hash = HMACSHA256.HashData(key, source);
            Array.Copy(hash, tag, 32);
        }
    }
}
