using TimingMat.Core.Crossings;

using TimingMat.Emulators.Crossings;

namespace TimingMat.Bench.Crossings;

/// <summary>What <see cref="CrossingBench"/> runs: the runners, the mat's physics and the detector's settings.</summary>
public sealed record CrossingBenchSettings
{
    /// <summary>Gets the seed of the runners, the per-crossing losses and the readers' noise.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Gets the number of chip crossings to run.</summary>
    public int Crossings { get; init; } = 2000;

    /// <summary>Gets the runners (rate, speeds, chips); its seed and count are replaced by <see cref="Seed"/> and <see cref="Crossings"/>.</summary>
    public RandomRunnerSettings Runners { get; init; } = new();

    /// <summary>Gets the mat, radio and readers.</summary>
    public CrossingModelSettings Model { get; init; } = new();

    /// <summary>Gets the chip capacity of the detector (board.cfg <c>crossings.chips</c>; open crossings and kept reads follow from it).</summary>
    public int ChipCapacity { get; init; } = CrossingSettings.DefaultChipCapacity;

    /// <summary>Gets the RSSI resolution the reader reports, centi-dBm (100: whole dBm, as the M6e and R2000 do; some readers report 2 or 4 dB steps).</summary>
    public int RssiStepCentiDbm { get; init; } = 100;

    /// <summary>Gets how often the unit's loop polls the detector, µs.</summary>
    public long PollMicros { get; init; } = 10_000;

    /// <summary>Gets a change applied to every detector's settings (a different reaction window, fewer kept reads), or <c>null</c>.</summary>
    public Action<CrossingSettings>? ConfigureDetector { get; init; }

    /// <summary>Builds the detector settings for one mode: the unit's defaults with <see cref="ChipCapacity"/>, then <see cref="ConfigureDetector"/>.</summary>
    /// <param name="mode">The detection mode.</param>
    /// <returns>The settings.</returns>
    public CrossingSettings Detector(DetectionMode mode)
    {
        var settings = new CrossingSettings { Mode = mode, UnitId = 1 };
        settings.SetCapacity(ChipCapacity);
        ConfigureDetector?.Invoke(settings);
        return settings;
    }
}
