using System.Numerics;
using TimingMat.Core.Clock;
using TimingMat.Core.Common;
using Xunit;

namespace TimingMat.Core.Tests.Clock;

public class ClockMathsTests
{
    [Fact]
    public void DaysFromCivil_MatchesTheBcl_FromGpsEpochTo2100()
    {
        for (var day = new DateTime(1980, 1, 6); day.Year < 2100; day = day.AddDays(7))
        {
            Assert.Equal((long)(day - DateTime.UnixEpoch).TotalDays, UtcCalendar.DaysFromCivil(day.Year, day.Month, day.Day));
        }

        Assert.Equal(0, UtcCalendar.DaysFromCivil(1970, 1, 1));
        Assert.Equal(-1, UtcCalendar.DaysFromCivil(1969, 12, 31));
        Assert.Equal(11_016, UtcCalendar.DaysFromCivil(2000, 2, 29));
    }

    [Fact]
    public void CivilFromDays_IsTheInverse()
    {
        for (var day = new DateTime(1969, 1, 1); day.Year < 2101; day = day.AddDays(3))
        {
            UtcCalendar.CivilFromDays((long)(day - DateTime.UnixEpoch).TotalDays, out var y, out var m, out var d);
            Assert.Equal((day.Year, day.Month, day.Day), (y, m, d));
        }
    }

    [Fact]
    public void OnlyTheFirstOfJanuaryAndJuly_MayFollowALeapSecond()
    {
        var days = Enumerable.Range(0, 365 + 365 + 366).Select(i => new DateTime(2026, 1, 1).AddDays(i))
            .Where(d => UtcCalendar.MayFollowLeapSecond((long)(d - DateTime.UnixEpoch).TotalDays))
            .Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(["2026-01-01", "2026-07-01", "2027-01-01", "2027-07-01", "2028-01-01", "2028-07-01"], days);
    }

    [Theory]
    [InlineData(2024, 2, 29)]
    [InlineData(2000, 2, 29)]
    [InlineData(2026, 12, 31)]
    [InlineData(2026, 4, 30)]
    public void RealDates_AreValid(int year, int month, int day) => Assert.True(UtcCalendar.IsValidDate(year, month, day));

    [Theory]
    [InlineData(2100, 2, 29)]
    [InlineData(2026, 2, 29)]
    [InlineData(2026, 4, 31)]
    [InlineData(2026, 13, 1)]
    [InlineData(2026, 0, 1)]
    [InlineData(2026, 1, 0)]
    public void ImpossibleDates_AreNot(int year, int month, int day) => Assert.False(UtcCalendar.IsValidDate(year, month, day));

    [Fact]
    public void MulDiv_IsExact_WhereTheProductWouldOverflow()
    {
        var random = new Random(4);
        for (var i = 0; i < 10_000; i++)
        {
            var value = random.NextInt64(-400_000_000_000_000, 400_000_000_000_000);
            var multiplier = random.NextInt64(-2_000_000, 2_000_000);
            var divisor = random.NextInt64(1, 2_000_000_000);
            var exact = (double)((BigInteger)value * multiplier) / divisor;

            Assert.InRange(FixedPoint.MulDiv(value, multiplier, divisor), Math.Round(exact) - 1, Math.Round(exact) + 1);
        }
    }

    [Theory]
    [InlineData(7, 2, 4)]
    [InlineData(-7, 2, -4)]
    [InlineData(5, 3, 2)]
    [InlineData(-5, 3, -2)]
    [InlineData(0, 9, 0)]
    public void DivRound_RoundsHalvesAwayFromZero(long numerator, long denominator, long expected) =>
        Assert.Equal(expected, FixedPoint.DivRound(numerator, denominator));

    [Fact]
    public void ClockLine_MapsBothWays_OverDaysOfHoldover()
    {
        // A crystal 12.5 ppm fast: the counter gains 25 µs every 2 s.
        var line = new ClockLine();
        line.Set(1_790_000_000, 5_000_000, 25, 2);

        Assert.Equal(12_500, line.FrequencyErrorPpb);
        Assert.Equal(5_000_000, line.LocalAt(1_790_000_000));
        Assert.Equal(5_000_000 + 2_000_025, line.LocalAt(1_790_000_002));
        Assert.Equal(5_000_000 + 1_000_013, line.LocalAt(1_790_000_001)); // 12.5 µs rounds up
        Assert.Equal(1_790_000_000L * 1_000_000, line.TimelineMicrosAt(5_000_000));
        foreach (var seconds in new long[] { -3600, -1, 1, 60, 86_400, 10 * 86_400 })
        {
            var local = line.LocalAt(1_790_000_000 + seconds);
            Assert.InRange(line.TimelineMicrosAt(local) - ((1_790_000_000 + seconds) * 1_000_000), -1, 1);
        }

        line.Renumber(-18);
        Assert.Equal(1_789_999_982, line.AnchorSecond);
    }

    [Fact]
    public void Fit_OfExactStamps_IsTheirLine()
    {
        var fit = new LowerEnvelopeFit(16);
        for (var i = 0; i < 16; i++)
        {
            fit.Add(100 + i, 1_000_000 + (i * 1_000_010L));
        }

        Assert.True(fit.Solve());
        Assert.Equal(10_000, fit.Line.FrequencyErrorPpb);
        Assert.Equal(1_000_000 + (5 * 1_000_010L), fit.Line.LocalAt(105));
        Assert.Equal(0, fit.SpacingMicros);
        Assert.False(fit.SlopeBounded);
    }

    [Fact]
    public void Fit_FollowsTheQuickestStamps_NotTheAverage()
    {
        // Every stamp late by 0–25 ms, one in five by exactly nothing: the line runs through the punctual ones.
        var random = new Random(7);
        var fit = new LowerEnvelopeFit(100);
        for (var i = 0; i < 100; i++)
        {
            var late = i % 5 == 0 ? 0 : random.NextInt64(1, 25_000);
            fit.Add(i, (i * 999_995L) + late);
        }

        Assert.True(fit.Solve());
        Assert.Equal(-5_000, fit.Line.FrequencyErrorPpb);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(i * 999_995L, fit.Line.LocalAt(i));
        }
    }

    [Fact]
    public void Fit_StaysUnderEveryStamp()
    {
        var random = new Random(11);
        var fit = new LowerEnvelopeFit(256);
        var stamps = new List<(long Second, long Local)>();
        for (var i = 0; i < 300; i++)
        {
            var local = (i * 1_000_017L) + (random.NextDouble() < 0.7 ? random.NextInt64(0, 1_000) : random.NextInt64(1_000, 25_000));
            fit.Add(i, local);
            stamps.Add((i, local));
        }

        Assert.True(fit.Solve());
        Assert.Equal(256, fit.Count);
        Assert.Equal(44, fit.FirstSecond);
        Assert.All(stamps.Skip(44), s => Assert.True(fit.Line.LocalAt(s.Second) <= s.Local + 1, $"line above the stamp of second {s.Second}"));
        Assert.InRange(fit.Line.FrequencyErrorPpb, 17_000 - 500, 17_000 + 500);
        Assert.InRange(fit.SpacingMicros, 1, 50);
    }

    [Fact]
    public void Fit_SlopeBounds_HoldAYoungWindowToTheKnownFrequency()
    {
        // Two stamps, the second one late: alone they say 3000 ppm; the crystal was at 10 ppm before.
        var fit = new LowerEnvelopeFit(8);
        fit.Add(0, 0);
        fit.Add(1, 1_000_010 + 3_000);
        fit.Add(2, 2_000_020 + 6_000);

        Assert.True(fit.Solve(8_000, 12_000));
        Assert.True(fit.SlopeBounded);
        Assert.Equal(12_000, fit.Line.FrequencyErrorPpb);
        Assert.Equal(0, fit.Line.LocalAt(0));
    }

    [Fact]
    public void Fit_AddingAnOldOrRepeatedSecond_IsRefused()
    {
        var fit = new LowerEnvelopeFit(4);
        Assert.True(fit.Add(5, 5_000_000));
        Assert.False(fit.Add(5, 5_100_000));
        Assert.False(fit.Add(4, 4_000_000));
        Assert.Equal(1, fit.Count);
        Assert.False(fit.Solve());
    }

    [Fact]
    public void Fit_Renumber_MovesEveryStampAndTheLine()
    {
        var fit = new LowerEnvelopeFit(4);
        fit.Add(10, 0);
        fit.Add(11, 1_000_000);
        fit.Add(12, 2_000_000);
        fit.Solve();

        fit.Renumber(1_000);

        Assert.Equal(1_010, fit.FirstSecond);
        Assert.Equal(1_012, fit.LastSecond);
        Assert.Equal(2_000_000, fit.Line.LocalAt(1_012));
    }
}
