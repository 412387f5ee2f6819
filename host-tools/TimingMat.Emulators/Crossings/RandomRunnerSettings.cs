namespace TimingMat.Emulators.Crossings;

/// <summary>A field of random runners crossing a mat at a steady rate (a start wave, or the bench).</summary>
public sealed record RandomRunnerSettings
{
    /// <summary>Gets the seed of every draw.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Gets the mean rate of runners crossing, per second (arrivals are a Poisson process).</summary>
    public double RunnersPerSecond { get; init; } = 20;

    /// <summary>Gets how many chip crossings the stream produces before it ends; 0 for no end.</summary>
    public int ChipCrossings { get; init; } = 1000;

    /// <summary>Gets the unit-local time of the first runner's crossing, µs.</summary>
    public long FirstCrossingMicros { get; init; } = 2_000_000;

    /// <summary>Gets the slowest runner, m/s.</summary>
    public double MinSpeedMps { get; init; } = 2;

    /// <summary>Gets the fastest runner, m/s.</summary>
    public double MaxSpeedMps { get; init; } = 6;

    /// <summary>Gets the lowest chip height, m.</summary>
    public double MinChipHeightM { get; init; } = 1.0;

    /// <summary>Gets the highest chip height, m.</summary>
    public double MaxChipHeightM { get; init; } = 1.4;

    /// <summary>Gets the share of runners wearing two chips (double-tagged bibs, the second 0.2 m beside the first).</summary>
    public double TwoChipFraction { get; init; }

    /// <summary>Gets the width runners cross on, m (the mat's width less a margin at each edge).</summary>
    public double LaneWidthM { get; init; } = 4.4;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        SettingsCheck.Require(RunnersPerSecond is > 0 and <= 1000, "RunnersPerSecond must be above 0 and at most 1000.");
        SettingsCheck.Require(ChipCrossings >= 0, "ChipCrossings must not be negative.");
        SettingsCheck.Require(MinSpeedMps > 0 && MaxSpeedMps >= MinSpeedMps && MaxSpeedMps <= 20, "speeds must satisfy 0 < MinSpeedMps <= MaxSpeedMps <= 20 m/s.");
        SettingsCheck.Require(MinChipHeightM > 0 && MaxChipHeightM >= MinChipHeightM && MaxChipHeightM <= 3, "chip heights must satisfy 0 < MinChipHeightM <= MaxChipHeightM <= 3 m.");
        SettingsCheck.Require(TwoChipFraction is >= 0 and <= 1, "TwoChipFraction must be 0-1.");
        SettingsCheck.Require(LaneWidthM >= 0, "LaneWidthM must not be negative.");
    }
}
