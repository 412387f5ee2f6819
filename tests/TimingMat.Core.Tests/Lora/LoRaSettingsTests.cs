using TimingMat.Core.Lora;
using Xunit;

namespace TimingMat.Core.Tests.Lora;

public class LoRaSettingsTests
{
    private const string FrequencyMessage = "frequency must be 137–1020 MHz";
    private const string SpreadingFactorMessage = "spreading factor must be 7–12";
    private const string BandwidthMessage = "bandwidth must be one of 7800, 10400, 15600, 20800, 31250, 41700, 62500, 125000, 250000, 500000 Hz";
    private const string CodingRateMessage = "coding rate must be 1–4 (4/5 … 4/8)";
    private const string PreambleMessage = "preamble must be 6–65535 symbols";
    private const string PowerMessage = "transmit power must be 2–17 dBm on PA_BOOST";
    private const string SyncWordMessage = "sync word must be one byte";

    [Fact]
    public void Defaults_AreEu868G3Sf7Bw125Cr45_AndValid()
    {
        var settings = new LoRaSettings();

        Assert.Equal(869_525_000, settings.FrequencyHz);
        Assert.Equal(7, settings.SpreadingFactor);
        Assert.Equal(125_000, settings.BandwidthHz);
        Assert.Equal(1, settings.CodingRate);
        Assert.Equal(8, settings.PreambleSymbols);
        Assert.Equal(14, settings.TxPowerDbm);
        Assert.Equal(0x12, settings.SyncWord);
        Assert.True(settings.Crc);
        Assert.Null(settings.Validate());
    }

    [Theory]
    [InlineData("frequency", 136_999_999, FrequencyMessage)]
    [InlineData("frequency", 1_020_000_001, FrequencyMessage)]
    [InlineData("frequency", 0, FrequencyMessage)]
    [InlineData("sf", 6, SpreadingFactorMessage)]
    [InlineData("sf", 13, SpreadingFactorMessage)]
    [InlineData("bandwidth", 125_001, BandwidthMessage)]
    [InlineData("bandwidth", 0, BandwidthMessage)]
    [InlineData("cr", 0, CodingRateMessage)]
    [InlineData("cr", 5, CodingRateMessage)]
    [InlineData("preamble", 5, PreambleMessage)]
    [InlineData("preamble", 65_536, PreambleMessage)]
    [InlineData("power", 1, PowerMessage)]
    [InlineData("power", 18, PowerMessage)]
    [InlineData("sync", -1, SyncWordMessage)]
    [InlineData("sync", 256, SyncWordMessage)]
    public void Validate_NamesTheBadField(string field, long value, string message)
    {
        var settings = With(field, value);

        Assert.Equal(message, settings.Validate());
    }

    [Theory]
    [InlineData("frequency", 137_000_000)]
    [InlineData("frequency", 1_020_000_000)]
    [InlineData("sf", 12)]
    [InlineData("bandwidth", 7_800)]
    [InlineData("bandwidth", 500_000)]
    [InlineData("cr", 4)]
    [InlineData("preamble", 6)]
    [InlineData("preamble", 65_535)]
    [InlineData("power", 2)]
    [InlineData("power", 17)]
    [InlineData("sync", 0)]
    [InlineData("sync", 255)]
    public void Validate_AcceptsTheLimits(string field, long value)
    {
        Assert.Null(With(field, value).Validate());
    }

    [Fact]
    public void Validate_ReportsTheFirstBadFieldInOrder()
    {
        var settings = new LoRaSettings { SpreadingFactor = 5, CodingRate = 9, SyncWord = 999 };

        Assert.Equal(SpreadingFactorMessage, settings.Validate());
    }

    private static LoRaSettings With(string field, long value)
    {
        var settings = new LoRaSettings();
        switch (field)
        {
            case "frequency":
                settings.FrequencyHz = value;
                break;
            case "sf":
                settings.SpreadingFactor = (int)value;
                break;
            case "bandwidth":
                settings.BandwidthHz = value;
                break;
            case "cr":
                settings.CodingRate = (int)value;
                break;
            case "preamble":
                settings.PreambleSymbols = (int)value;
                break;
            case "power":
                settings.TxPowerDbm = (int)value;
                break;
            case "sync":
                settings.SyncWord = (int)value;
                break;
            default:
                throw new ArgumentException(field, nameof(field));
        }

        return settings;
    }
}
