using TimingMat.Core.Lora;
using Xunit;

namespace TimingMat.Core.Tests.Lora;

public class DutyCycleBudgetTests
{
    [Fact]
    public void New_MayTransmitAtOnce_AndHasSpentNothing()
    {
        var budget = new DutyCycleBudget(100);

        Assert.True(budget.MayTransmit(0));
        Assert.Equal(0, budget.NextAllowedMicros);
        Assert.Equal(0, budget.AirtimeMicros);
        Assert.Equal(0, budget.Packets);
    }

    [Fact]
    public void TenPercent_A100MsPacketEndingAt1s_ForbidsSendingUntil1900Ms()
    {
        var budget = new DutyCycleBudget(100);

        budget.Record(1_000_000, 100_000);

        Assert.Equal(1_900_000, budget.NextAllowedMicros);
        Assert.False(budget.MayTransmit(1_000_000));
        Assert.False(budget.MayTransmit(1_899_999));
        Assert.True(budget.MayTransmit(1_900_000));
    }

    [Fact]
    public void OnePercent_OffTimeIs99TimesTheAirtime()
    {
        var budget = new DutyCycleBudget(10);

        budget.Record(5_000_000, 100_000);

        Assert.Equal(5_000_000 + (99 * 100_000), budget.NextAllowedMicros);
        Assert.False(budget.MayTransmit(14_899_999));
        Assert.True(budget.MayTransmit(14_900_000));
    }

    [Fact]
    public void OffTime_IsRoundedUp()
    {
        // 0.3 %: 1 µs on air costs 997 / 3 = 332.33 µs off → 333.
        var budget = new DutyCycleBudget(3);

        budget.Record(1000, 1);

        Assert.Equal(1333, budget.NextAllowedMicros);
    }

    [Fact]
    public void NoLimit_AllowsTheNextPacketAsSoonAsThisOneEnds()
    {
        var budget = new DutyCycleBudget(1000);

        budget.Record(2_000_000, 399_616);

        Assert.Equal(2_000_000, budget.NextAllowedMicros);
        Assert.True(budget.MayTransmit(2_000_000));
    }

    [Fact]
    public void AirtimeAndPackets_Accumulate()
    {
        var budget = new DutyCycleBudget(100);

        budget.Record(1_000_000, 100_000);
        budget.Record(3_000_000, 399_616);
        budget.Record(8_000_000, 51_456);

        Assert.Equal(100_000 + 399_616 + 51_456, budget.AirtimeMicros);
        Assert.Equal(3, budget.Packets);
        Assert.Equal(8_000_000 + (9 * 51_456), budget.NextAllowedMicros);
    }

    [Fact]
    public void NextAllowed_NeverMovesBack()
    {
        var budget = new DutyCycleBudget(100);

        budget.Record(10_000_000, 1_000_000);  // quiet until 19 s
        budget.Record(11_000_000, 100_000);    // would be 11.9 s

        Assert.Equal(19_000_000, budget.NextAllowedMicros);
        Assert.Equal(2, budget.Packets);
    }

    [Theory]
    [InlineData(-5, 1)]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(100, 100)]
    [InlineData(1000, 1000)]
    [InlineData(1001, 1000)]
    [InlineData(5000, 1000)]
    public void Permille_IsClampedTo1To1000(int permille, int expected)
    {
        Assert.Equal(expected, new DutyCycleBudget(permille).Permille);
    }

    [Fact]
    public void ClampedToOnePermille_CostsTheOffTimeOfOnePermille()
    {
        var budget = new DutyCycleBudget(0);

        budget.Record(0, 1000);

        Assert.Equal(999_000, budget.NextAllowedMicros);
    }
}
