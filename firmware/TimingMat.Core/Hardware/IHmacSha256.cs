namespace TimingMat.Core.Hardware
{
    /// <summary>
    /// HMAC-SHA256 (RFC 2104, FIPS 180-4) as the platform computes it: nanoFramework's native <c>HMACSHA256</c> on the
    /// board, <c>System.Security.Cryptography.HMACSHA256</c> on desktop. The core never hashes by itself.
    /// </summary>
    /// <remarks>
    /// Commands from the tent and LoRa acks carry a (possibly truncated) tag from this function, keyed with the unit's
    /// command key. Implementations are pinned by the RFC 4231 test vectors.
    /// </remarks>
    public interface IHmacSha256
    {
        /// <summary>Computes HMAC-SHA256 of the first <paramref name="length"/> bytes of <paramref name="message"/>.</summary>
        /// <param name="key">The secret key (any length; the unit's command key is 16–64 bytes).</param>
        /// <param name="message">The message bytes.</param>
        /// <param name="length">How many bytes of <paramref name="message"/> are the message.</param>
        /// <param name="tag">Receives the 32-byte tag in its first 32 bytes.</param>
        void Compute(byte[] key, byte[] message, int length, byte[] tag);
    }
}
