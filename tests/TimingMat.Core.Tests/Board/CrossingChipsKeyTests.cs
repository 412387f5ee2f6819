using TimingMat.Core.Board;
using TimingMat.Core.Crossings;
using Xunit;

namespace TimingMat.Core.Tests.Board;

public class CrossingChipsKeyTests
{
    private const string Minimal = """
        board.name = test-board
        board.target = ESP32_PSRAM_REV0
        uplink = wifi
        storage.root = I:\
        reader.uart = COM2
        reader.rx = 13
        reader.tx = 4
        gps.uart = COM3
        gps.rx = 34
        gps.tx = 32
        gps.pps = 35
        """;

    [Fact]
    public void WithoutTheKey_TheDetectorFollows256Chips_EvenOnAPsramTarget()
    {
        // The PSRAM firmware also runs on WROOM modules without PSRAM, whose heap only fits the small table.
        var profile = BoardProfile.Parse(Minimal);

        Assert.Equal(256, profile.CrossingChips);
    }

    [Fact]
    public void TheKey_SetsTheDetectorsCapacity()
    {
        var profile = BoardProfile.Parse(Minimal + "\ncrossings.chips = 1024\n");
        var settings = new CrossingSettings();

        settings.SetCapacity(profile.CrossingChips);

        Assert.Equal(1024, settings.ChipCapacity);
        Assert.Equal(256, settings.OpenCrossingCapacity);
        settings.Validate();
    }

    [Theory]
    [InlineData("8", "'crossings.chips' must be between 16 and 16384, found 8.")]
    [InlineData("lots", "'crossings.chips' must be a whole number, found 'lots'.")]
    public void OutOfRangeOrNotANumber_IsRejectedWithItsLine(string value, string reason)
    {
        var error = Assert.Throws<BoardProfileException>(() => BoardProfile.Parse(Minimal + "\ncrossings.chips = " + value + "\n"));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("line 12: ", error.Message, StringComparison.Ordinal);
    }
}
