using TimingMat.Core.Clock;
using TimingMat.Core.Journal;
using TimingMat.Core.Passings;
using Xunit;

namespace TimingMat.Core.Tests.Journal;

/// <summary>Passings with every field set from an index (or a seeded random), so a round trip can be checked field by field.</summary>
internal static class SamplePassings
{
    // 2026-10-04 08:00:00 UTC, a marathon start, in µs since 1970.
    public const long RaceStartUtcMicros = 1_791_100_800_000_000;

    public static Passing Make(int index, int unitId = 7, int epcLength = 12)
    {
        var p = new Passing
        {
            Kind = index % 97 == 0 ? PassingKind.WaveStart : PassingKind.Crossing,
            UnitId = unitId,
            EpcLength = epcLength,
            TimeUtcMicros = RaceStartUtcMicros + (index * 40_123L),
            Hits = 20 + (index % 60),
            MaxRssiCentiDbm = -3500 - (index % 3000),
            BestAntenna = 1 + (index % 4),
            ClockState = ClockState.Locked,
            UncertaintyMicros = 3 + (index % 10),
            Flags = index % 50 == 0 ? PassingFlags.TestTag : PassingFlags.None,
            MarkerValue = index % 97 == 0 ? 2 : 0,
        };
        p.FirstReadUtcMicros = p.TimeUtcMicros - 180_000;
        p.LastReadUtcMicros = p.TimeUtcMicros + 170_000;
        for (var i = 0; i < epcLength; i++)
        {
            p.Epc[i] = (byte)(index >> (8 * (i % 4)));
        }

        p.Epc[0] = 0xE2;
        return p;
    }

    public static Passing Random(Random random, int unitId = 7)
    {
        var p = Make(random.Next(1_000_000), unitId, random.Next(0, 63));
        random.NextBytes(p.Epc.AsSpan(0, p.EpcLength));
        p.Hits = random.Next(0, 70_000);
        p.MaxRssiCentiDbm = random.Next(-9000, 0);
        p.ClockState = (ClockState)random.Next(3);
        p.UncertaintyMicros = random.Next(2) == 0 ? MatTime.UnknownUncertainty : random.Next(0, 5_000_000);
        p.Flags = (PassingFlags)random.Next(16);
        return p;
    }

    public static byte[] Body(Passing p)
    {
        var buffer = new byte[PassingBody.MaxBytes];
        var n = PassingBody.Write(p, buffer, 0);
        return buffer[..n];
    }

    public static void AssertSame(Passing expected, Passing actual)
    {
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.EpcLength, actual.EpcLength);
        Assert.Equal(expected.Epc[..expected.EpcLength], actual.Epc[..actual.EpcLength]);
        Assert.Equal(expected.TimeUtcMicros, actual.TimeUtcMicros);
        Assert.Equal(expected.FirstReadUtcMicros, actual.FirstReadUtcMicros);
        Assert.Equal(expected.LastReadUtcMicros, actual.LastReadUtcMicros);
        Assert.Equal(Math.Min(expected.Hits, 65535), actual.Hits);
        Assert.Equal(expected.MaxRssiCentiDbm, actual.MaxRssiCentiDbm);
        Assert.Equal(expected.BestAntenna, actual.BestAntenna);
        Assert.Equal(expected.ClockState, actual.ClockState);
        Assert.Equal(expected.UncertaintyMicros, actual.UncertaintyMicros);
        Assert.Equal(expected.Flags, actual.Flags);
        Assert.Equal(expected.MarkerValue, actual.MarkerValue);
    }
}
