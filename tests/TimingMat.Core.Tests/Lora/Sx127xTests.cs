using TimingMat.Core.Lora;
using Xunit;

namespace TimingMat.Core.Tests.Lora;

public class Sx127xTests
{
    [Fact]
    public void FrfOf_868_1MHz_IsD90666()
    {
        // 868.1e6 · 2^19 / 32e6 = 14,222,950.4 → 14,222,950 = 0xD90666.
        Assert.Equal(0xD90666, Sx127x.FrfOf(868_100_000));
    }

    [Fact]
    public void FrfOf_869_525MHz_IsD9619A()
    {
        // 869.525e6 · 2^19 / 32e6 = 869,525,000 · 0.016384 = 14,246,297.6 → rounded 14,246,298 = 0xD9619A
        // (0xD9 = 217: 217 · 65,536 = 14,221,312; remainder 24,986 = 0x619A). Truncation would give 0xD96199.
        Assert.Equal(0xD9619A, Sx127x.FrfOf(869_525_000));
    }

    [Fact]
    public void FrfOf_915MHz_IsExactlyE4C000()
    {
        // 915e6 · 0.016384 = 14,991,360 exactly = 0xE4C000.
        Assert.Equal(0xE4C000, Sx127x.FrfOf(915_000_000));
        Assert.Equal(915_000_000, Sx127x.FrequencyOfFrf(0xE4C000));
    }

    [Fact]
    public void FrequencyOfFrf_D90666_Is868_099_976Hz()
    {
        // 14,222,950 · 32e6 / 2^19 = 868,099,975.59 Hz → 868,099,976.
        Assert.Equal(868_099_976, Sx127x.FrequencyOfFrf(0xD90666));
    }

    [Fact]
    public void FrfOf_AndBack_IsWithinOneStepOf61Hz()
    {
        for (long f = 137_000_000; f <= 1_020_000_000; f += 999_983)
        {
            var back = Sx127x.FrequencyOfFrf(Sx127x.FrfOf(f));

            Assert.True(Math.Abs(back - f) <= 61, $"{f} Hz came back as {back} Hz");
        }

        Assert.InRange(Sx127x.FrequencyOfFrf(Sx127x.FrfOf(869_525_000)), 869_525_000 - 61, 869_525_000 + 61);
        Assert.InRange(Sx127x.FrequencyOfFrf(Sx127x.FrfOf(868_100_000)), 868_100_000 - 61, 868_100_000 + 61);
    }

    [Theory]
    [InlineData(7800, 0)]
    [InlineData(10400, 1)]
    [InlineData(15600, 2)]
    [InlineData(20800, 3)]
    [InlineData(31250, 4)]
    [InlineData(41700, 5)]
    [InlineData(62500, 6)]
    [InlineData(125000, 7)]
    [InlineData(250000, 8)]
    [InlineData(500000, 9)]
    public void BandwidthCode_RoundTripsEveryStep(long bandwidthHz, int code)
    {
        Assert.Equal(code, Sx127x.BandwidthCode(bandwidthHz));
        Assert.Equal(bandwidthHz, Sx127x.BandwidthOfCode(code));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-125000)]
    [InlineData(125001)]
    [InlineData(7812)]
    [InlineData(1000000)]
    public void BandwidthCode_OfAnotherBandwidth_IsMinusOne(long bandwidthHz)
    {
        Assert.Equal(-1, Sx127x.BandwidthCode(bandwidthHz));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10)]
    [InlineData(15)]
    public void BandwidthOfCode_OfAReservedCode_IsZero(int code)
    {
        Assert.Equal(0, Sx127x.BandwidthOfCode(code));
    }
}
