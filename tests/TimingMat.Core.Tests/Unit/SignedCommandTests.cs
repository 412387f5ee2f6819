using System.Text;
using TimingMat.Core.Hardware;
using TimingMat.Core.Unit;
using TimingMat.Host.Crypto;
using Xunit;

namespace TimingMat.Core.Tests.Unit;

/// <summary>
/// The signed command format of firmware/docs/wire-formats.md §6, pinned by a worked example a tent tool can check its
/// own signing against, and the platform HMAC pinned by the RFC 4231 test vectors.
/// </summary>
public class SignedCommandTests
{
    // The worked example of wire-formats.md §6: key 00 01 … 1f, unit 7, counter 1791100802006 (the UTC ms it was signed).
    private static readonly byte[] s_key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private const string Unsigned = "tm1 7 1791100802006 arm 2026-10-04T06:30:00Z";
    private const string FullTag = "b7f8c624a1836ebbb1d6f9fe176cf8e4ae6af25891355c154865beb74ce31a61";

    public static TheoryData<string, string, string> Rfc4231 => new()
    {
        // Test cases 1, 2, 3, 4, 6 and 7 of RFC 4231 (case 5 is a truncated tag, covered below).
        { "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
        { "4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
        { new string('a', 40), new string('d', 100), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
        { "0102030405060708090a0b0c0d0e0f10111213141516171819", string.Concat(Enumerable.Repeat("cd", 50)), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
        { new string('a', 262), Hex("Test Using Larger Than Block-Size Key - Hash Key First"), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
        { new string('a', 262), Hex("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."), "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
    };

    [Theory]
    [MemberData(nameof(Rfc4231))]
    public void TheDesktopHmac_MeetsRfc4231(string keyHex, string dataHex, string tagHex)
    {
        var data = Convert.FromHexString(dataHex);
        var message = new byte[data.Length + 7];
        data.CopyTo(message, 0);
        var tag = new byte[32];

        DesktopHmacSha256.Instance.Compute(Convert.FromHexString(keyHex), message, data.Length, tag);

        Assert.Equal(tagHex, Convert.ToHexStringLower(tag));
    }

    [Fact]
    public void TheDesktopHmac_MeetsRfc4231Case5_Truncated()
    {
        var tag = new byte[32];
        var data = Encoding.ASCII.GetBytes("Test With Truncation");

        DesktopHmacSha256.Instance.Compute(Convert.FromHexString(new string('0', 0) + string.Concat(Enumerable.Repeat("0c", 20))), data, data.Length, tag);

        Assert.Equal("a3b6167473100ee06e0c796c2955552b", Convert.ToHexStringLower(tag)[..32]);
    }

    [Fact]
    public void TheWorkedExample_IsSignedAsTheDocumentSays()
    {
        Assert.Equal(Unsigned + " " + FullTag[..16], SignedCommand.Sign(Unsigned, s_key, DesktopHmacSha256.Instance, 8));
        Assert.Equal(Unsigned + " " + FullTag, SignedCommand.Sign(Unsigned, s_key, DesktopHmacSha256.Instance, 32));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(12)]
    [InlineData(32)]
    public void AnyTagFromEightToThirtyTwoBytes_IsAccepted_InEitherCase(int bytes)
    {
        var command = new SignedCommand(DesktopHmacSha256.Instance);
        var text = Unsigned + " " + FullTag[..(2 * bytes)].ToUpperInvariant() + "\r\n";

        Assert.Equal(CommandCheck.Accepted, command.Read(Encoding.ASCII.GetBytes(text), 7, s_key, 1791100802005));
        Assert.Equal((7, 1791100802006L, "arm", 1, "2026-10-04T06:30:00Z"), (command.Unit, command.Counter, command.Verb, command.ArgumentCount, command.Argument(0)));
    }

    [Theory]
    [InlineData("arm 1791100802006", CommandCheck.Unsigned)]
    [InlineData("tm1", CommandCheck.Unsigned)]
    [InlineData("TM1 7 1791100802006 arm 2026-10-04T06:30:00Z b7f8c624a1836ebb", CommandCheck.Unsigned)]
    [InlineData("tm1 7 1791100802006 arm 2026-10-04T06:30:00Z b7f8c624a1836e", CommandCheck.Malformed)]
    [InlineData("tm1 7 1791100802006 arm 2026-10-04T06:30:00Z b7f8c624a1836ebz", CommandCheck.Malformed)]
    [InlineData("tm1 7 1791100802006 arm  2026-10-04T06:30:00Z b7f8c624a1836ebb", CommandCheck.Malformed)]
    [InlineData("tm1 7 0 arm b7f8c624a1836ebb", CommandCheck.Malformed)]
    [InlineData("tm1 x 1791100802006 arm b7f8c624a1836ebb", CommandCheck.Malformed)]
    [InlineData("tm1 7 1791100802006 b7f8c624a1836ebb", CommandCheck.Malformed)]
    [InlineData("tm1 7 1 a b c d e b7f8c624a1836ebb", CommandCheck.Malformed)]
    [InlineData("tm1 8 1791100802006 arm 2026-10-04T06:30:00Z b7f8c624a1836ebb", CommandCheck.WrongUnit)]
    [InlineData("tm1 7 1791100802006 arm 2026-10-04T06:30:01Z b7f8c624a1836ebb", CommandCheck.BadTag)]
    [InlineData("tm1 7 1791100802007 arm 2026-10-04T06:30:00Z b7f8c624a1836ebb", CommandCheck.BadTag)]
    [InlineData("tm1 7 1791100802006 arm 2026-10-04T06:30:00Z b7f8c624a1836eba", CommandCheck.BadTag)]
    public void WhatIsNotAFreshSignedCommandForThisUnit_IsRejected_WithItsReason(string text, CommandCheck expected)
    {
        var command = new SignedCommand(DesktopHmacSha256.Instance);

        Assert.Equal(expected, command.Read(Encoding.ASCII.GetBytes(text), 7, s_key, 0));
    }

    [Fact]
    public void ACounterNotAboveTheLast_IsAReplay_AndNoKeyRefusesAll()
    {
        var command = new SignedCommand(DesktopHmacSha256.Instance);
        var signed = Encoding.ASCII.GetBytes(SignedCommand.Sign(Unsigned, s_key, DesktopHmacSha256.Instance, 8));

        Assert.Equal(CommandCheck.Replayed, command.Read(signed, 7, s_key, 1791100802006));
        Assert.Equal(CommandCheck.NoKey, command.Read(signed, 7, null!, 0));
        Assert.Equal(CommandCheck.Malformed, command.Read(Encoding.ASCII.GetBytes("tm1 7 5 " + new string('x', 200) + " b7f8c624a1836ebb"), 7, s_key, 0));
        Assert.Equal(CommandCheck.Malformed, command.Read([(byte)'t', (byte)'m', (byte)'1', (byte)' ', 0xC3, 0xA9, (byte)' ', (byte)'1'], 7, s_key, 0));
    }

    [Fact]
    public void TheCoreTakesThePlatformHmac_NeverItsOwn()
    {
        // A counting HMAC proves the command check goes through the platform's.
        var counting = new CountingHmac();
        var command = new SignedCommand(counting);
        var signed = Encoding.ASCII.GetBytes(SignedCommand.Sign(Unsigned, s_key, DesktopHmacSha256.Instance, 8));

        Assert.Equal(CommandCheck.Accepted, command.Read(signed, 7, s_key, 0));
        Assert.Equal(1, counting.Calls);
        Assert.Equal(Unsigned.Length, counting.LastLength);
    }

    private static string Hex(string text) => Convert.ToHexStringLower(Encoding.ASCII.GetBytes(text));

    private sealed class CountingHmac : IHmacSha256
    {
        public int Calls { get; private set; }

        public int LastLength { get; private set; }

        public void Compute(byte[] key, byte[] message, int length, byte[] tag)
        {
            Calls++;
            LastLength = length;
            DesktopHmacSha256.Instance.Compute(key, message, length, tag);
        }
    }
}
