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

        // Sized for 1,000 reads/s, the store is every crossing's full share; a unit sizes it from its reader's line.
        Assert.Equal(1_000, settings.ReadsPerSecond);
        Assert.Equal(64 * 32, settings.KeptReadEntries);
        Assert.InRange(settings.EstimatedBytes, 40_000, 46_000);
    }

    [Fact]
    public void KeptReads_AreSizedFromTheReadRate_TheFieldTimeAndTheReactionWindow()
    {
        var settings = new CrossingSettings();
        settings.SetCapacity(512);

        // An M6e on 115,200 baud (245 reads/s), 850 ms window: 245 × 3.85 s = 943 held, + 128 × 3 for partly filled chunks.
        settings.ReadsPerSecond = 245;
        Assert.Equal(1_328, settings.KeptReadEntries);

        // A start mat's 2 s window holds more.
        settings.ReactionMicros = 2_000_000;
        Assert.Equal(1_612, settings.KeptReadEntries);

        // Never more than every open crossing full.
        settings.ReadsPerSecond = 5_000;
        Assert.Equal(128 * 32, settings.KeptReadEntries);

        settings.ReadsPerSecond = 0;
        Assert.Equal("ReadsPerSecond must be 1-100000.", Assert.Throws<ArgumentException>(settings.Validate).Message);
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
