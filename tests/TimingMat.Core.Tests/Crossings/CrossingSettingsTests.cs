using TimingMat.Core.Crossings;
using Xunit;

namespace TimingMat.Core.Tests.Crossings;

public class CrossingSettingsTests
{
    [Fact]
    public void Defaults_FollowRaceResultAndCrossMgr_AndFitTheSmallHeap()
    {
        var settings = new CrossingSettings();

        settings.Validate();
        Assert.Equal(DetectionMode.Peak, settings.Mode);
        Assert.Equal(850_000, settings.ReactionMicros);
        Assert.Equal(5_000_000, settings.DeadTimeMicros);
        Assert.Equal(8_000_000, settings.StrayMicros);
        Assert.Equal(256, settings.ChipCapacity);
        Assert.Equal(64, settings.OpenCrossingCapacity);
        Assert.InRange(settings.EstimatedBytes, 30_000, 45_000);
    }

    [Fact]
    public void SetCapacity_DerivesOpenCrossingsAndReadsKept()
    {
        var settings = new CrossingSettings();

        settings.SetCapacity(1024);
        Assert.Equal(256, settings.OpenCrossingCapacity);
        Assert.Equal(64, settings.SamplesPerCrossing);
        settings.SetCapacity(16);
        Assert.Equal(8, settings.OpenCrossingCapacity);
        Assert.Equal(32, settings.SamplesPerCrossing);
    }

    [Theory]
    [InlineData("ReactionMicros")]
    [InlineData("ChipCapacity")]
    [InlineData("OpenCrossingCapacity")]
    [InlineData("SamplesPerCrossing")]
    [InlineData("MaxEpcBytes")]
    [InlineData("UnitId")]
    public void OutOfRangeValues_AreRejected_NamingTheSetting(string name)
    {
        var settings = new CrossingSettings();
        typeof(CrossingSettings).GetProperty(name)!.SetValue(settings, name == "ReactionMicros" ? (object)1L : -1);

        var error = Assert.Throws<ArgumentException>(settings.Validate);
        Assert.StartsWith(name, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("peak", DetectionMode.Peak)]
    [InlineData("First", DetectionMode.First)]
    [InlineData("last", DetectionMode.Last)]
    [InlineData("first+last", DetectionMode.FirstAndLast)]
    [InlineData(" FirstLast ", DetectionMode.FirstAndLast)]
    [InlineData("continuous", DetectionMode.Continuous)]
    public void ModeNames_ParseAndPrint(string text, DetectionMode mode)
    {
        Assert.True(DetectionModeText.TryParse(text, out var parsed));
        Assert.Equal(mode, parsed);
        Assert.True(DetectionModeText.TryParse(DetectionModeText.Name(mode), out var again));
        Assert.Equal(mode, again);
    }

    [Fact]
    public void UnknownModeName_IsRefused()
    {
        Assert.False(DetectionModeText.TryParse("fastest", out _));
        Assert.False(DetectionModeText.TryParse(null!, out _));
        Assert.Equal("unknown", DetectionModeText.Name((DetectionMode)9));
    }
}
