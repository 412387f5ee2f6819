using TimingMat.Core.Clock;
using TimingMat.Core.Lora;
using TimingMat.Core.Passings;
using TimingMat.Host.Crypto;
using Xunit;

namespace TimingMat.Core.Tests.Lora;

/// <summary>The passing packet v2: the byte-exact fixture of firmware/docs/wire-formats.md §9.1, round trips, limits and garbage.</summary>
public class LoRaPassingPacketTests
{
    // 2026-04-19T08:00:00.123456Z in µs since 1970 (1,776,585,600 s).
    private const long FirstTimeUtcMicros = 1_776_585_600_123_456;

    // Nearest ms of the above: 1,776,585,600,123 = 0x019D_A4C0_EC7B.
    private const long BaseMillis = 1_776_585_600_123;

    private static readonly byte[] s_key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    // Chips E2801170200000010200AB00 … E2801170200000010200ACFF are indices 0–511.
    private static readonly LoRaChipList s_chips = LoRaChipList.Parse("# the fixture's race\nE2801170200000010200AB00 = 512\n");

    private static readonly byte[] s_stranger = [0xE2, 0x80, 0x11, 0x70, 0x20, 0x00, 0x00, 0x01, 0x02, 0x99, 0x99, 0x99];

    private static readonly byte[] s_fixture =
    [
        0x21,                                // version 2, type 1 (passings)
        0x07, 0x00,                          // unit 7
        0x04, 0x03, 0x02, 0x01,              // journal 0x01020304
        0xE8, 0x03, 0x00, 0x00, 0x00, 0x00,  // first sequence 1000, u48
        0x00, 0x00, 0x00,                    // backlog 0: acked 999
        0x7B, 0xEC, 0xC0, 0xA4, 0x9D, 0x01,  // base 1,776,585,600,123 ms
        0x01,                                // locked | first record's flags 0
        0x03,                                // least certain record: 2.4 ms + 0.5 → 3 ms
        0x04,                                // four passings

        0x2A, 0x00,                          // chip index 42 (…0200AB2A)
        0x00,                                // +0 ms

        0xFD, 0xFF, 0x01,                    // flags change: test tag
        0x2C, 0x01,                          // chip index 300 (…0200AC2C)
        0xC8, 0x01,                          // +100 ms (zigzag 200)

        0xFD, 0xFF, 0x00,                    // flags change: none
        0xFE, 0xFF, 0x0C,                    // a chip not on the list, 12 bytes:
        0xE2, 0x80, 0x11, 0x70, 0x20, 0x00, 0x00, 0x01, 0x02, 0x99, 0x99, 0x99,
        0xC0, 0x25,                          // +2,400 ms (zigzag 4,800)

        0xFF, 0xFF, 0x02, 0x03, 0x00, 0x00,  // marker: wave start 3
        0x13,                                // −10 ms (zigzag 19)

        0xC8, 0xC3, 0x83, 0xA6,              // tag: HMAC-SHA256(key, bytes 0–61), first 4 bytes
    ];

    [Fact]
    public void FourPassings_AreWrittenByteForByte()
    {
        var writer = new LoRaPacketWriter { Chips = s_chips };
        var passings = FixturePassings();

        writer.Begin(7, 0x01020304, passings[0], 999, 255);
        foreach (var p in passings)
        {
            Assert.True(writer.TryAdd(p));
        }

        var length = writer.Finish(s_key, DesktopHmacSha256.Instance);

        Assert.Equal(66, length);
        Assert.Equal(s_fixture, writer.Buffer[..length]);
        Assert.Equal(System.Security.Cryptography.HMACSHA256.HashData(s_key, s_fixture[..62])[..4], s_fixture[62..]);
        Assert.Equal(1, writer.Unlisted);
    }

    [Fact]
    public void TheFixture_ReadsBack_EveryField()
    {
        var reader = new LoRaPacketReader { Chips = s_chips };
        var buffer = (byte[])s_fixture.Clone();

        Assert.Null(reader.Load(buffer, buffer.Length));
        Assert.True(reader.IsAuthentic(s_key, DesktopHmacSha256.Instance));
        Assert.Equal((7, 0x01020304, 1000L, 999L, BaseMillis, 4), (reader.UnitId, reader.JournalId, reader.FirstSequence, reader.AckedSequence, reader.BaseMillis, reader.Count));

        var p = Dirty();
        Assert.True(reader.Next(p));
        Assert.Equal((PassingKind.Crossing, 7, 1000L), (p.Kind, p.UnitId, p.Sequence));
        Assert.Equal(Convert.FromHexString("E2801170200000010200AB2A"), p.Epc[..p.EpcLength]);
        Assert.Equal(1_776_585_600_123_000, p.TimeUtcMicros);
        Assert.Equal(1_776_585_600_123_000, p.FirstReadUtcMicros);
        Assert.Equal(1_776_585_600_123_000, p.LastReadUtcMicros);
        Assert.Equal((0, 0, 0, 0), (p.Hits, p.MaxRssiCentiDbm, p.BestAntenna, p.MarkerValue));
        Assert.Equal((PassingFlags.None, ClockState.Locked, 3000L), (p.Flags, p.ClockState, p.UncertaintyMicros));

        Assert.True(reader.Next(p));
        Assert.Equal(1001, p.Sequence);
        Assert.Equal(Convert.FromHexString("E2801170200000010200AC2C"), p.Epc[..p.EpcLength]);
        Assert.Equal(1_776_585_600_223_000, p.TimeUtcMicros);
        Assert.Equal(PassingFlags.TestTag, p.Flags);

        Assert.True(reader.Next(p));
        Assert.Equal(1002, p.Sequence);
        Assert.Equal(s_stranger, p.Epc[..p.EpcLength]);
        Assert.Equal(1_776_585_602_623_000, p.TimeUtcMicros);
        Assert.Equal(PassingFlags.None, p.Flags);

        Assert.True(reader.Next(p));
        Assert.Equal((PassingKind.WaveStart, 3, 0, 1003L), (p.Kind, p.MarkerValue, p.EpcLength, p.Sequence));
        Assert.Equal(1_776_585_602_613_000, p.TimeUtcMicros);

        Assert.False(reader.Next(p));
        Assert.Equal(0, reader.Unresolved);
    }

    [Fact]
    public void AnyChangedByte_FailsTheTag_AndAnotherKeyToo()
    {
        var reader = new LoRaPacketReader { Chips = s_chips };
        for (var i = 0; i < s_fixture.Length; i++)
        {
            var buffer = (byte[])s_fixture.Clone();
            buffer[i] ^= 0x01;
            if (reader.Load(buffer, buffer.Length) == null)
            {
                Assert.False(reader.IsAuthentic(s_key, DesktopHmacSha256.Instance), $"byte {i} changed and the tag still checks");
            }
        }

        Assert.Null(reader.Load((byte[])s_fixture.Clone(), s_fixture.Length));
        Assert.False(reader.IsAuthentic([.. s_key.Reverse()], DesktopHmacSha256.Instance));
        Assert.False(reader.IsAuthentic(null!, DesktopHmacSha256.Instance));
    }

    [Fact]
    public void WithoutTheChipList_AnIndexComesBackAsTwoBytes_AndIsCounted()
    {
        var reader = new LoRaPacketReader();
        Assert.Null(reader.Load((byte[])s_fixture.Clone(), s_fixture.Length));
        var p = new Passing();

        Assert.True(reader.Next(p));

        Assert.Equal(new byte[] { 0x00, 0x2A }, p.Epc[..p.EpcLength]);
        Assert.Equal(1, reader.Unresolved);
    }

    [Theory]
    [InlineData(0L, 1)]
    [InlineData(63L, 1)]
    [InlineData(-64L, 1)]
    [InlineData(64L, 2)]
    [InlineData(8191L, 2)]
    [InlineData(-8192L, 2)]
    [InlineData(8192L, 3)]
    [InlineData(1_048_575L, 3)]
    [InlineData(1_048_576L, 4)]
    [InlineData(134_217_727L, 4)]
    public void Deltas_TakeOneToFourBytes_AndRoundTrip(long delta, int bytes)
    {
        Assert.Equal(bytes, LoRaPassingPacket.DeltaBytes(delta));
        var first = Crossing(FirstTimeUtcMicros, Convert.FromHexString("E2801170200000010200AB01"), PassingFlags.None, ClockState.Locked, 10);
        var second = Crossing(first.TimeUtcMicros + (delta * 1000), Convert.FromHexString("E2801170200000010200AB02"), PassingFlags.None, ClockState.Locked, 10);
        var (reader, length) = RoundTrip(first, second);

        Assert.Equal(LoRaPassingPacket.OverheadBytes + 3 + 2 + bytes, length);
        var p = new Passing();
        Assert.True(reader.Next(p));
        Assert.True(reader.Next(p));
        Assert.Equal((LoRaPassingPacket.MillisOf(first) + delta) * 1000, p.TimeUtcMicros);
    }

    [Fact]
    public void ADeltaBeyond27Bits_OrAnotherClockState_StartsANewPacket()
    {
        var writer = new LoRaPacketWriter { Chips = s_chips };
        var first = Crossing(FirstTimeUtcMicros, Convert.FromHexString("E2801170200000010200AB01"), PassingFlags.None, ClockState.Locked, 10);
        writer.Begin(7, 1, first, 0, 255);
        Assert.True(writer.TryAdd(first));

        Assert.False(writer.TryAdd(Crossing(FirstTimeUtcMicros + (134_217_728L * 1000), first.Epc[..12], PassingFlags.None, ClockState.Locked, 10)));
        Assert.False(writer.TryAdd(Crossing(FirstTimeUtcMicros + 1000, first.Epc[..12], PassingFlags.None, ClockState.Holdover, 10)));
        Assert.True(writer.TryAdd(Crossing(FirstTimeUtcMicros + 1000, first.Epc[..12], PassingFlags.None, ClockState.Locked, 10)));
        Assert.Equal(2, writer.Count);
    }

    [Fact]
    public void SequenceNumbersBeyond32Bits_AndALargeBacklog_GoThrough()
    {
        var first = Crossing(FirstTimeUtcMicros, Convert.FromHexString("E2801170200000010200AB01"), PassingFlags.None, ClockState.Locked, 10);
        first.Sequence = 0x1_2345_6789L;
        var writer = new LoRaPacketWriter { Chips = s_chips };
        writer.Begin(9, 5, first, first.Sequence - 100_000_000, 255);
        Assert.True(writer.TryAdd(first));
        var length = writer.Finish(s_key, DesktopHmacSha256.Instance);
        var reader = new LoRaPacketReader { Chips = s_chips };

        Assert.Null(reader.Load(writer.Buffer, length));
        Assert.Equal(0x1_2345_6789L, reader.FirstSequence);

        // The backlog saturates at 2^24 − 1: a collector meeting this unit starts a little lower and asks for the gap.
        Assert.Equal(0x1_2345_6789L - 1 - 0xFFFFFF, reader.AckedSequence);
        var p = new Passing();
        Assert.True(reader.Next(p));
        Assert.Equal(0x1_2345_6789L, p.Sequence);
    }

    [Theory]
    [InlineData(0xFFFF_FFF0L, 0x1_0000_0005L, 0x1_0000_0005L - 0x15)]  // the ack's low 32 bits just before a wrap
    [InlineData(0x0000_0010L, 0x1_0000_0005L, 0x1_0000_0010L)]
    [InlineData(1000L, 1029L, 1000L)]
    [InlineData(0L, 1L, 0L)]
    public void Extend_CompletesA32BitAckFieldNearTheReference(long low, long reference, long expected)
    {
        Assert.Equal(expected, LoRaPassingPacket.Extend(low, reference));
    }

    [Fact]
    public void APacketFills_UpToTheByteLimit_AndNoFurther()
    {
        var writer = new LoRaPacketWriter { Chips = s_chips };
        var p = Crossing(FirstTimeUtcMicros, Convert.FromHexString("E2801170200000010200AB00"), PassingFlags.None, ClockState.Locked, 10);
        writer.Begin(7, 1, p, 0, 100);
        var added = 0;
        while (writer.TryAdd(Next(p, added)))
        {
            added++;
        }

        // 29 bytes of header and tag, then 3-byte records (a chip index and a delta under 64 ms): 23 of them fit 100.
        Assert.Equal(23, added);
        Assert.Equal(98, writer.Finish(s_key, DesktopHmacSha256.Instance));
    }

    [Fact]
    public void ALongEpcAloneInATinyPacket_KeepsItsLastBytes()
    {
        var writer = new LoRaPacketWriter();
        var epc = Enumerable.Range(1, 62).Select(i => (byte)i).ToArray();
        var p = Crossing(FirstTimeUtcMicros, epc, PassingFlags.None, ClockState.Locked, 10);
        writer.Begin(7, 1, p, 0, LoRaOptions.MinPacketBytes);

        Assert.True(writer.TryAdd(p));
        var length = writer.Finish(s_key, DesktopHmacSha256.Instance);
        var reader = new LoRaPacketReader();
        Assert.Null(reader.Load(writer.Buffer, length));
        var back = new Passing();
        Assert.True(reader.Next(back));

        Assert.Equal(LoRaOptions.MinPacketBytes, length);
        Assert.Equal(epc[^12..], back.Epc[..back.EpcLength]);
    }

    [Theory]
    [InlineData("short", "shorter than the smallest passing packet")]
    [InlineData("v1", "a version-1 passing packet (no tag): update the unit's firmware")]
    [InlineData("type", "not a passing packet (first byte 0x22)")]
    [InlineData("clock", "no such clock state")]
    [InlineData("zero", "a packet of no records")]
    [InlineData("more", "record 4 of 5 is cut short or malformed")]
    [InlineData("fewer", "bytes after the last of 3 records")]
    [InlineData("epc", "record 2 of 4 is cut short or malformed")]
    [InlineData("marker", "record 3 of 4 is cut short or malformed")]
    public void Load_RefusesWithTheReason(string fault, string reason)
    {
        var buffer = (byte[])s_fixture.Clone();
        var length = buffer.Length;
        switch (fault)
        {
            case "short":
                length = 31;
                break;
            case "v1":
                buffer[0] = 0x11;
                break;
            case "type":
                buffer[0] = 0x22;
                break;
            case "clock":
                buffer[22] = 0x03;
                break;
            case "zero":
                buffer[24] = 0;
                break;
            case "more":
                buffer[24] = 5;
                break;
            case "fewer":
                buffer[24] = 3;
                break;
            case "epc":
                buffer[15 + 25] = 63;
                break;
            case "marker":
                buffer[57] = 4;
                break;
        }

        Assert.Contains(reason, new LoRaPacketReader().Load(buffer, length), StringComparison.Ordinal);
    }

    [Fact]
    public void Fuzz_LoadNeverThrows_AndNextNeverThrowsOnWhatLoadAccepts()
    {
        var random = new Random(20260419);
        var buffer = new byte[255];
        var passing = new Passing();
        var reader = new LoRaPacketReader { Chips = s_chips };
        var accepted = 0;
        for (var i = 0; i < 100_000; i++)
        {
            random.NextBytes(buffer);
            var length = random.Next(0, 256);
            if (random.Next(2) == 0)
            {
                // Plausible packets, so the record walk gets exercised: short records of listed chips.
                var count = random.Next(1, 20);
                buffer[0] = 0x21;
                buffer[22] = (byte)random.Next(3);
                buffer[24] = (byte)count;
                for (var r = 0; r < count; r++)
                {
                    buffer[25 + (3 * r)] = (byte)random.Next(256);
                    buffer[26 + (3 * r)] = (byte)random.Next(2);
                    buffer[27 + (3 * r)] = (byte)random.Next(128);
                }

                length = 25 + (3 * count) + 4 + (random.Next(4) == 0 ? random.Next(-2, 3) : 0);
            }

            if (reader.Load(buffer, length) != null)
            {
                continue;
            }

            accepted++;
            var n = 0;
            while (reader.Next(passing))
            {
                Assert.Equal(reader.FirstSequence + n, passing.Sequence);
                Assert.InRange((int)passing.ClockState, 0, 2);
                Assert.InRange((int)passing.Kind, 0, 3);
                n++;
            }

            Assert.Equal(reader.Count, n);
        }

        Assert.True(accepted > 10_000, $"only {accepted} packets accepted");
    }

    [Theory]
    [InlineData(0L, 1)]            // the 0.5 ms the time was rounded by, rounded up
    [InlineData(500L, 1)]
    [InlineData(501L, 2)]
    [InlineData(253_500L, 254)]
    [InlineData(253_501L, 255)]
    [InlineData(-1L, 255)]
    public void Uncertainty_IsMillisecondsPlusTheRounding_RoundedUp_255WhenUnknownOrTooLarge(long micros, int expectedByte)
    {
        Assert.Equal(expectedByte, LoRaPassingPacket.UncertaintyByte(micros));
    }

    [Theory]
    [InlineData(1_000_123_499, 1_000_123)]
    [InlineData(1_000_123_500, 1_000_124)]  // half up
    [InlineData(-1500, -1)]                 // half up below zero too
    [InlineData(-1501, -2)]
    public void MillisOf_RoundsToNearest(long micros, long expectedMillis)
    {
        Assert.Equal(expectedMillis, LoRaPassingPacket.MillisOf(new Passing { TimeUtcMicros = micros }));
    }

    private static Passing Next(Passing p, int i)
    {
        var n = Crossing(p.TimeUtcMicros + (i * 20_000), p.Epc[..12], PassingFlags.None, ClockState.Locked, 10);
        n.Epc[11] = (byte)i;
        return n;
    }

    private static (LoRaPacketReader Reader, int Length) RoundTrip(params Passing[] passings)
    {
        var writer = new LoRaPacketWriter { Chips = s_chips };
        passings[0].Sequence = 1;
        writer.Begin(7, 1, passings[0], 0, 255);
        foreach (var p in passings)
        {
            Assert.True(writer.TryAdd(p));
        }

        var length = writer.Finish(s_key, DesktopHmacSha256.Instance);
        var reader = new LoRaPacketReader { Chips = s_chips };
        Assert.Null(reader.Load(writer.Buffer[..length], length));
        return (reader, length);
    }

    private static Passing[] FixturePassings()
    {
        var a = Crossing(FirstTimeUtcMicros, Convert.FromHexString("E2801170200000010200AB2A"), PassingFlags.None, ClockState.Locked, 150);
        a.Sequence = 1000;
        var b = Crossing(FirstTimeUtcMicros + 100_000, Convert.FromHexString("E2801170200000010200AC2C"), PassingFlags.TestTag, ClockState.Locked, 2_400);
        var c = Crossing(FirstTimeUtcMicros + 2_500_000, s_stranger, PassingFlags.None, ClockState.Locked, 150);
        var d = new Passing
        {
            Kind = PassingKind.WaveStart,
            MarkerValue = 3,
            TimeUtcMicros = FirstTimeUtcMicros + 2_490_000,
            ClockState = ClockState.Locked,
            UncertaintyMicros = 150,
        };
        return [a, b, c, d];
    }

    private static Passing Crossing(long timeUtcMicros, byte[] epc, PassingFlags flags, ClockState state, long uncertaintyMicros)
    {
        var p = new Passing
        {
            Kind = PassingKind.Crossing,
            UnitId = 7,
            EpcLength = epc.Length,
            TimeUtcMicros = timeUtcMicros,
            FirstReadUtcMicros = timeUtcMicros - 150_000,
            LastReadUtcMicros = timeUtcMicros + 140_000,
            Hits = 31,
            MaxRssiCentiDbm = -4550,
            BestAntenna = 2,
            Flags = flags,
            ClockState = state,
            UncertaintyMicros = uncertaintyMicros,
        };
        Array.Copy(epc, p.Epc, epc.Length);
        return p;
    }

    // A passing with every field set to something the reader must overwrite.
    private static Passing Dirty()
    {
        var p = new Passing
        {
            Kind = PassingKind.CorralOpen,
            UnitId = 999,
            Sequence = 123_456,
            EpcLength = 12,
            TimeUtcMicros = 42,
            Hits = 77,
            MaxRssiCentiDbm = -1,
            BestAntenna = 4,
            Flags = PassingFlags.Stray,
            ClockState = ClockState.Unsynced,
            UncertaintyMicros = 77_000,
            MarkerValue = 77,
        };
        Array.Fill(p.Epc, (byte)0x77);
        return p;
    }
}
