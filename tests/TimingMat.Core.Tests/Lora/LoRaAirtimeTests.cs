using TimingMat.Core.Lora;
using Xunit;

namespace TimingMat.Core.Tests.Lora;

/// <summary>Time on air against Semtech's reference table (AN1200.13 / the LoRa calculator): BW 125 kHz, CR 4/5, preamble 8, explicit header, CRC on.</summary>
public class LoRaAirtimeTests
{
    [Theory]
    [InlineData(12, 7, 41.2)]
    [InlineData(12, 9, 144.4)]
    [InlineData(12, 12, 1155.1)]
    [InlineData(24, 7, 61.7)]
    [InlineData(24, 8, 113.2)]
    [InlineData(24, 9, 205.8)]
    [InlineData(24, 10, 370.7)]
    [InlineData(24, 11, 823.3)]
    [InlineData(24, 12, 1482.8)]
    [InlineData(51, 7, 102.7)]
    [InlineData(51, 8, 184.8)]
    [InlineData(51, 9, 328.7)]
    [InlineData(51, 10, 616.4)]
    [InlineData(51, 11, 1314.8)]
    [InlineData(51, 12, 2465.8)]
    [InlineData(64, 7, 118.0)]
    [InlineData(64, 8, 215.6)]
    [InlineData(64, 9, 390.1)]
    [InlineData(64, 10, 698.4)]
    [InlineData(64, 11, 1560.6)]
    [InlineData(64, 12, 2793.5)]
    [InlineData(255, 7, 399.6)]
    [InlineData(255, 8, 707.1)]
    [InlineData(255, 9, 1250.3)]
    [InlineData(255, 10, 2295.8)]
    [InlineData(255, 11, 5001.2)]
    [InlineData(255, 12, 9019.4)]
    public void Micros_MatchesTheReferenceTable(int payloadBytes, int spreadingFactor, double expectedMillis)
    {
        var settings = new LoRaSettings { SpreadingFactor = spreadingFactor };

        var micros = LoRaAirtime.Micros(payloadBytes, settings);

        Assert.InRange(micros / 1000.0, expectedMillis - 0.05, expectedMillis + 0.05);
    }

    [Theory]
    [InlineData(51, 7, 102_656)]     // (8 + 4.25 + 88) symbols · 1,024 µs
    [InlineData(12, 12, 1_155_072)]  // (12.25 + 23) · 32,768 µs, DE = 1
    [InlineData(255, 12, 9_019_392)] // (12.25 + 263) · 32,768 µs, DE = 1
    [InlineData(24, 10, 370_688)]    // (12.25 + 33) · 8,192 µs
    public void Micros_IsExact_WhenTheSymbolTimeIsAWholeNumberOfMicroseconds(int payloadBytes, int spreadingFactor, long expectedMicros)
    {
        Assert.Equal(expectedMicros, LoRaAirtime.Micros(payloadBytes, new LoRaSettings { SpreadingFactor = spreadingFactor }));
    }

    [Fact]
    public void Micros_RoundsUp()
    {
        // PL 10, SF7, 41.7 kHz, CR 4/5, preamble 8, CRC, explicit header, no DE:
        // Npayload = 8 + ceil((80 − 28 + 28 + 16) / 28) · 5 = 8 + 4 · 5 = 28;
        // ToA = (4 · 8 + 17 + 4 · 28) / 4 · 128 / 41,700 s = 161 · 128 · 10^6 / 166,800 µs = 123,549.16 µs → 123,550.
        Assert.Equal(123_550, LoRaAirtime.Micros(10, 7, 41700, 1, 8, true, false, false));
    }

    [Fact]
    public void PayloadSymbols_Pl51Sf7_Is88()
    {
        Assert.Equal(88, LoRaAirtime.PayloadSymbols(51, 7, 1, true, false, false));
    }

    [Theory]
    [InlineData(0, 12, 4, false, true, true, 8)]     // numerator 0 − 48 + 28 − 20 < 0: only the 8 fixed symbols
    [InlineData(1, 7, 4, true, false, false, 16)]    // ceil(24 / 28) = 1 block of 4 + 4 = 8 symbols at CR 4/8
    [InlineData(51, 12, 1, true, false, true, 63)]   // ceil(404 / 40) = 11 blocks · 5
    [InlineData(51, 12, 1, true, false, false, 53)]  // ceil(404 / 48) = 9 blocks · 5
    [InlineData(51, 7, 1, true, true, false, 83)]    // implicit header: ceil(404 / 28) = 15 blocks · 5
    [InlineData(51, 7, 1, false, false, false, 83)]  // no CRC: ceil(408 / 28) = 15 blocks · 5
    public void PayloadSymbols_FollowsTheFormula(int payloadBytes, int spreadingFactor, int codingRate, bool crc, bool implicitHeader, bool lowDataRateOptimize, int expected)
    {
        Assert.Equal(expected, LoRaAirtime.PayloadSymbols(payloadBytes, spreadingFactor, codingRate, crc, implicitHeader, lowDataRateOptimize));
    }

    [Theory]
    [InlineData(24, 10, 370.7)]
    [InlineData(66, 9, 390.1)]
    [InlineData(138, 8, 399.9)]
    [InlineData(255, 7, 399.6)]
    public void Us915DwellLimit_LargestPhyPayloads_StayUnder400Ms(int payloadBytes, int spreadingFactor, double expectedMillis)
    {
        var micros = LoRaAirtime.Micros(payloadBytes, new LoRaSettings { SpreadingFactor = spreadingFactor });

        Assert.InRange(micros / 1000.0, expectedMillis - 0.05, expectedMillis + 0.05);
        Assert.True(micros < 400_000, $"{micros} µs");
    }

    [Theory]
    [InlineData(7, 125000, false)]
    [InlineData(10, 125000, false)]  // 8.192 ms symbols
    [InlineData(11, 125000, true)]   // 16.384 ms
    [InlineData(12, 125000, true)]   // 32.768 ms
    [InlineData(11, 250000, false)]  // 8.192 ms
    [InlineData(12, 250000, true)]   // 16.384 ms
    [InlineData(12, 500000, false)]  // 8.192 ms
    [InlineData(10, 62500, true)]    // 16.384 ms
    [InlineData(11, 128000, false)]  // exactly 16 ms is not "longer than 16 ms"
    public void NeedsLowDataRateOptimize_OnlyForSymbolsLongerThan16Ms(int spreadingFactor, long bandwidthHz, bool expected)
    {
        Assert.Equal(expected, LoRaAirtime.NeedsLowDataRateOptimize(spreadingFactor, bandwidthHz));
    }

    [Fact]
    public void Micros_WithSettings_AppliesLowDataRateOptimizeAtSf11Bw125()
    {
        var settings = new LoRaSettings { SpreadingFactor = 11 };

        Assert.Equal(LoRaAirtime.Micros(51, 11, 125000, 1, 8, true, false, true), LoRaAirtime.Micros(51, settings));
        Assert.NotEqual(LoRaAirtime.Micros(51, 11, 125000, 1, 8, true, false, false), LoRaAirtime.Micros(51, settings));
    }
}
