using System.Security.Cryptography;
using TimingMat.Core.Hardware;

namespace TimingMat.Host.Crypto;

/// <summary>The core's <see cref="IHmacSha256"/> on desktop, over .NET's <see cref="HMACSHA256"/> (pinned by the RFC 4231 vectors in the tests).</summary>
public sealed class DesktopHmacSha256 : IHmacSha256
{
    /// <summary>Gets the one instance (it keeps no state).</summary>
    public static DesktopHmacSha256 Instance { get; } = new();

    /// <inheritdoc />
    public void Compute(byte[] key, byte[] message, int length, byte[] tag)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, message.Length);
        ArgumentOutOfRangeException.ThrowIfLessThan(tag.Length, 32, nameof(tag));
        HMACSHA256.HashData(key, message.AsSpan(0, length), tag);
    }
}
