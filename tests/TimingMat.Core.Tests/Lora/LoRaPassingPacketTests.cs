using TimingMat.Core.Clock;
using TimingMat.Core.Journal;
using TimingMat.Core.Lora;
using TimingMat.Core.Passings;
using Xunit;

namespace TimingMat.Core.Tests.Lora;

public class LoRaPassingPacketTests
{
    // 2026-04-19T08:00:00.123456Z in µs since 1970 (1,776,585,600 s).
    private const long FirstTimeUtcMicros = 1_776_585_600_123_456;

    // Floor of the above in ms: 1,776,585,600,123 = 0x019D_A4C0_EC7B.
    private const long BaseMillis = 1_776_585_600_123;

    private static readonly byte[] _fixture =
    [
        0x11,                                // version 1, type 1 (passings)
        0x07, 0x00,                          // unit 7
        0x04, 0x03, 0x02, 0x01,              // journal 0x01020304
        0xE8, 0x03, 0x00, 0x00,              // first sequence 1000
        0xE7, 0x03, 0x00, 0x00,              // acked 999
        0x7B, 0xEC, 0xC0, 0xA4, 0x9D, 0x01,  // base 1,776,585,600,123 ms
        0x02,                                // two records

        0x00, 0x12, 0x34,                    // EPC tail 00 12 34
        0x00, 0x00, 0x00,                    // +0 ms
        0x44,                                // crossing | test tag << 2 | locked << 6
        0x01,                                // 150 µs → 1 ms (rounded up)

        0xAB, 0xCD, 0xEF,                    // EPC tail AB CD EF
        0xC4, 0x09, 0x00,                    // +2,500 ms
        0x80,                                // crossing | no flags | holdover << 6
        0xFF,                                // unknown
    ];

    [Fact]
    public void TwoCrossings_AreWrittenByteForByte()
    {
        var buffer = new byte[255];
        var first = Crossing(FirstTimeUtcMicros, [0xE2, 0x80, 0x11, 0x70, 0x20, 0x00, 0x00, 0x01, 0x02, 0x00, 0x12, 0x34], PassingFlags.TestTag, ClockState.Locked, 150);
        var second = Crossing(FirstTimeUtcMicros + 2_500_000, [0xE2, 0x80, 0x11, 0x70, 0x20, 0x00, 0x00, 0x01, 0x02, 0xAB, 0xCD, 0xEF], PassingFlags.None, ClockState.Holdover, MatTime.UnknownUncertainty);

        var baseMillis = LoRaPassingPacket.MillisOf(first);
        LoRaPassingPacket.WriteHeader(buffer, 7, 0x01020304, 1000, 999, baseMillis);
        LoRaPassingPacket.WriteRecord(buffer, 0, first, baseMillis);
        LoRaPassingPacket.WriteRecord(buffer, 1, second, baseMillis);
        var length = LoRaPassingPacket.SetCount(buffer, 2);

        Assert.Equal(BaseMillis, baseMillis);
        Assert.Equal(38, length);
        Assert.Equal(_fixture, buffer[..length]);
    }

    [Fact]
    public void TheFixture_ReadsBack_EveryField()
    {
        var buffer = (byte[])_fixture.Clone();

        Assert.Null(LoRaPassingPacket.Check(buffer, buffer.Length));
        Assert.Equal(7, LoRaPassingPacket.UnitId(buffer));
        Assert.Equal(0x01020304, LoRaPassingPacket.JournalId(buffer));
        Assert.Equal(1000, LoRaPassingPacket.FirstSequence(buffer));
        Assert.Equal(999, LoRaPassingPacket.AckedSequence(buffer));
        Assert.Equal(2, LoRaPassingPacket.Count(buffer));
        Assert.Equal(BaseMillis, LoRaPassingPacket.BaseMillis(buffer));

        var p = Dirty();
        LoRaPassingPacket.ReadRecord(buffer, 0, p);

        Assert.Equal(PassingKind.Crossing, p.Kind);
        Assert.Equal(7, p.UnitId);
        Assert.Equal(1000, p.Sequence);
        Assert.Equal(3, p.EpcLength);
        Assert.Equal(new byte[] { 0x00, 0x12, 0x34 }, p.Epc[..3]);
        Assert.Equal(0, p.MarkerValue);

        // Millisecond resolution, rounded down: .123456 s comes back as .123000 s.
        Assert.Equal(1_776_585_600_123_000, p.TimeUtcMicros);
        Assert.Equal(1_776_585_600_123_000, p.FirstReadUtcMicros);
        Assert.Equal(1_776_585_600_123_000, p.LastReadUtcMicros);
        Assert.Equal(0, p.Hits);
        Assert.Equal(0, p.MaxRssiCentiDbm);
        Assert.Equal(0, p.BestAntenna);
        Assert.Equal(PassingFlags.TestTag, p.Flags);
        Assert.Equal(ClockState.Locked, p.ClockState);
        Assert.Equal(1000, p.UncertaintyMicros);

        p = Dirty();
        LoRaPassingPacket.ReadRecord(buffer, 1, p);

        Assert.Equal(PassingKind.Crossing, p.Kind);
        Assert.Equal(7, p.UnitId);
        Assert.Equal(1001, p.Sequence);
        Assert.Equal(3, p.EpcLength);
        Assert.Equal(new byte[] { 0xAB, 0xCD, 0xEF }, p.Epc[..3]);
        Assert.Equal(0, p.MarkerValue);
        Assert.Equal(1_776_585_602_623_000, p.TimeUtcMicros);
        Assert.Equal(1_776_585_602_623_000, p.FirstReadUtcMicros);
        Assert.Equal(1_776_585_602_623_000, p.LastReadUtcMicros);
        Assert.Equal(0, p.Hits);
        Assert.Equal(PassingFlags.None, p.Flags);
        Assert.Equal(ClockState.Holdover, p.ClockState);
        Assert.Equal(MatTime.UnknownUncertainty, p.UncertaintyMicros);
    }

    [Theory]
    [InlineData(1_000_123_000, 1_000_123)]
    [InlineData(1_000_123_499, 1_000_123)]
    [InlineData(1_000_123_500, 1_000_124)]  // half up
    [InlineData(1_000_123_999, 1_000_124)]
    [InlineData(0, 0)]
    [InlineData(-1, 0)]
    [InlineData(-1000, -1)]
    [InlineData(-1500, -1)]                 // half up below zero too
    [InlineData(-1501, -2)]
    public void MillisOf_RoundsToNearest(long micros, long expectedMillis)
    {
        var p = new Passing { TimeUtcMicros = micros };

        Assert.Equal(expectedMillis, LoRaPassingPacket.MillisOf(p));
    }

    [Theory]
    [InlineData(0L, 1)]            // the 0.5 ms the time was rounded by, rounded up
    [InlineData(1L, 1)]
    [InlineData(500L, 1)]
    [InlineData(501L, 2)]
    [InlineData(1000L, 2)]
    [InlineData(253_500L, 254)]
    [InlineData(253_501L, 255)]
    [InlineData(5_000_000L, 255)]
    [InlineData(-1L, 255)]
    public void Uncertainty_IsMillisecondsPlusTheRounding_RoundedUp_255WhenUnknownOrTooLarge(long micros, int expectedByte)
    {
        var buffer = new byte[255];
        var p = Crossing(FirstTimeUtcMicros, [1, 2, 3], PassingFlags.None, ClockState.Locked, micros);

        LoRaPassingPacket.WriteRecord(buffer, 0, p, BaseMillis);

        Assert.Equal(expectedByte, buffer[LoRaPassingPacket.HeaderBytes + 7]);
    }

    [Theory]
    [InlineData(PassingKind.GunStart, 2)]
    [InlineData(PassingKind.WaveStart, 0x123456)]
    [InlineData(PassingKind.CorralOpen, 0)]
    public void Markers_CarryTheirValueInTheChipField(PassingKind kind, int value)
    {
        var buffer = new byte[255];
        var marker = new Passing
        {
            Kind = kind,
            MarkerValue = value,
            TimeUtcMicros = FirstTimeUtcMicros,
            ClockState = ClockState.Locked,
            UncertaintyMicros = 2_000,
            Flags = PassingFlags.OutsideArmedWindow,
        };

        LoRaPassingPacket.WriteHeader(buffer, 300, -5, 1, 0, BaseMillis);
        LoRaPassingPacket.WriteRecord(buffer, 0, marker, BaseMillis);
        var length = LoRaPassingPacket.SetCount(buffer, 1);

        Assert.Equal(new byte[] { (byte)(value >> 16), (byte)(value >> 8), (byte)value }, buffer[22..25]);
        Assert.Equal((byte)((int)kind | (2 << 2) | (1 << 6)), buffer[28]);
        Assert.Null(LoRaPassingPacket.Check(buffer, length));
        var back = Dirty();
        LoRaPassingPacket.ReadRecord(buffer, 0, back);
        Assert.Equal(kind, back.Kind);
        Assert.Equal(value, back.MarkerValue);
        Assert.Equal(0, back.EpcLength);
        Assert.Equal(300, back.UnitId);
        Assert.Equal(-5, LoRaPassingPacket.JournalId(buffer));
        Assert.Equal(1, back.Sequence);
        Assert.Equal(PassingFlags.OutsideArmedWindow, back.Flags);
        Assert.Equal(3_000, back.UncertaintyMicros); // 2 ms + the 0.5 ms of rounding, rounded up
        Assert.Equal(BaseMillis * 1000, back.TimeUtcMicros);
    }

    [Fact]
    public void ARecordEarlierThanTheBase_RoundTrips()
    {
        var buffer = new byte[255];
        var first = Crossing(FirstTimeUtcMicros, [9, 9, 9], PassingFlags.None, ClockState.Locked, 100);
        var earlier = Crossing(FirstTimeUtcMicros - 1_750_000, [8, 8, 8], PassingFlags.Stray | PassingFlags.CapacityClosed, ClockState.Unsynced, 0);

        LoRaPassingPacket.WriteHeader(buffer, 7, 1, 10, 9, BaseMillis);
        LoRaPassingPacket.WriteRecord(buffer, 0, first, BaseMillis);
        LoRaPassingPacket.WriteRecord(buffer, 1, earlier, BaseMillis);
        LoRaPassingPacket.SetCount(buffer, 2);

        // −1,750 ms as signed 24-bit little-endian: 0x1000000 − 1750 = 0xFFF92A.
        Assert.Equal(new byte[] { 0x2A, 0xF9, 0xFF }, buffer[33..36]);
        var back = Dirty();
        LoRaPassingPacket.ReadRecord(buffer, 1, back);
        Assert.Equal((BaseMillis - 1750) * 1000, back.TimeUtcMicros);
        Assert.Equal(PassingFlags.Stray | PassingFlags.CapacityClosed, back.Flags);
        Assert.Equal(ClockState.Unsynced, back.ClockState);
        Assert.Equal(1_000, back.UncertaintyMicros); // 0 + the 0.5 ms of rounding, rounded up
        Assert.Equal(11, back.Sequence);
    }

    [Theory]
    [InlineData(8_388_607, true)]
    [InlineData(8_388_608, false)]
    [InlineData(-8_388_608, true)]   // the signed 24-bit minimum
    [InlineData(-8_388_609, false)]
    [InlineData(-100_000_000, false)]
    public void Fits_OnlyWithinSigned24BitMilliseconds(long offsetMillis, bool fits)
    {
        var p = Crossing((BaseMillis + offsetMillis) * 1000, [1, 2, 3], PassingFlags.None, ClockState.Locked, 0);

        Assert.Equal(fits, LoRaPassingPacket.Fits(p, BaseMillis));
        if (fits)
        {
            var buffer = new byte[255];
            LoRaPassingPacket.WriteHeader(buffer, 7, 1, 1, 0, BaseMillis);
            LoRaPassingPacket.WriteRecord(buffer, 0, p, BaseMillis);
            LoRaPassingPacket.SetCount(buffer, 1);
            var back = new Passing();
            LoRaPassingPacket.ReadRecord(buffer, 0, back);
            Assert.Equal(p.TimeUtcMicros, back.TimeUtcMicros);
        }
    }

    [Fact]
    public void AShortEpc_IsPaddedWithLeadingZeros()
    {
        var buffer = new byte[255];
        var p = Crossing(FirstTimeUtcMicros, [0x42, 0x43], PassingFlags.None, ClockState.Locked, 0);

        LoRaPassingPacket.WriteRecord(buffer, 0, p, BaseMillis);

        Assert.Equal(new byte[] { 0x00, 0x42, 0x43 }, buffer[22..25]);
    }

    [Fact]
    public void Header_WritesANegativeAckedMarkAsZero_AndTheFullSequenceRange()
    {
        var buffer = new byte[255];

        LoRaPassingPacket.WriteHeader(buffer, 65535, int.MinValue, LoRaPassingPacket.MaxSequence, -1, 0xFFFF_FFFF_FFFF);

        Assert.Equal(65535, LoRaPassingPacket.UnitId(buffer));
        Assert.Equal(int.MinValue, LoRaPassingPacket.JournalId(buffer));
        Assert.Equal(4_294_967_295, LoRaPassingPacket.FirstSequence(buffer));
        Assert.Equal(0, LoRaPassingPacket.AckedSequence(buffer));
        Assert.Equal(0xFFFF_FFFF_FFFF, LoRaPassingPacket.BaseMillis(buffer));
    }

    [Theory]
    [InlineData("short", "packet of 21 bytes is shorter than the 22-byte header")]
    [InlineData("empty", "packet of 0 bytes is shorter than the 22-byte header")]
    [InlineData("version", "not a version-1 passing packet (first byte 0x21)")]
    [InlineData("type", "not a version-1 passing packet (first byte 0x12)")]
    [InlineData("zero", "record count 0 does not match the packet length 22")]
    [InlineData("thirty", "record count 30 does not match the packet length 262")]
    [InlineData("longer", "record count 2 does not match the packet length 39")]
    [InlineData("shorter", "record count 2 does not match the packet length 37")]
    public void Check_RejectsMalformedPackets_WithTheReason(string damage, string reason)
    {
        var buffer = new byte[300];
        Array.Copy(_fixture, buffer, _fixture.Length);
        var length = _fixture.Length;
        switch (damage)
        {
            case "short":
                length = 21;
                break;
            case "empty":
                length = 0;
                break;
            case "version":
                buffer[0] = 0x21;
                break;
            case "type":
                buffer[0] = 0x12;  // an ack's first byte
                break;
            case "zero":
                buffer[21] = 0;
                length = 22;
                break;
            case "thirty":
                buffer[21] = 30;
                length = 22 + (30 * 8);
                break;
            case "longer":
                length = 39;
                break;
            case "shorter":
                length = 37;
                break;
        }

        Assert.Equal(reason, LoRaPassingPacket.Check(buffer, length));
    }

    [Fact]
    public void Check_AcceptsTheLargestPacket()
    {
        var buffer = new byte[255];
        LoRaPassingPacket.WriteHeader(buffer, 1, 1, 1, 0, 0);
        var length = LoRaPassingPacket.SetCount(buffer, 29);

        Assert.Equal(254, length);
        Assert.Null(LoRaPassingPacket.Check(buffer, length));
    }

    [Fact]
    public void Fuzz_CheckNeverThrows_AndReadRecordNeverThrowsOnWhatCheckAccepts()
    {
        var random = new Random(20260419);
        var buffer = new byte[255];
        var passing = new Passing();
        var accepted = 0;
        for (var i = 0; i < 100_000; i++)
        {
            random.NextBytes(buffer);
            var length = random.Next(0, 256);
            if (random.Next(2) == 0)
            {
                // Make about half of them plausible, so the record reader gets exercised too.
                var count = random.Next(0, 31);
                buffer[0] = 0x11;
                buffer[21] = (byte)count;
                length = Math.Min(255, 22 + (count * 8) + random.Next(-1, 2));
            }

            var error = LoRaPassingPacket.Check(buffer, length);
            if (error != null)
            {
                continue;
            }

            accepted++;
            var n = LoRaPassingPacket.Count(buffer);
            Assert.Equal(LoRaPassingPacket.HeaderBytes + (n * LoRaPassingPacket.RecordBytes), length);
            for (var r = 0; r < n; r++)
            {
                LoRaPassingPacket.ReadRecord(buffer, r, passing);
                Assert.Equal(LoRaPassingPacket.FirstSequence(buffer) + r, passing.Sequence);
                Assert.InRange((int)passing.ClockState, 0, 2);
                Assert.InRange((int)passing.Kind, 0, 3);
            }
        }

        Assert.True(accepted > 10_000, $"only {accepted} packets accepted");
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
            FirstReadUtcMicros = 41,
            LastReadUtcMicros = 43,
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
