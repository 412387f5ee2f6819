namespace TimingMat.Emulators.Crossings;

/// <summary>Random runners at a steady mean rate, generated one at a time (memory stays flat however long it runs).</summary>
public sealed class RandomRunnerStream : IRunnerStream
{
    private readonly RandomRunnerSettings _settings;
    private readonly Random _random;
    private double _nextMicros;
    private int _chips;
    private int _runners;

    /// <summary>Initializes a new instance of the <see cref="RandomRunnerStream"/> class.</summary>
    /// <param name="settings">Rate, speeds, chip placement and seed.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public RandomRunnerStream(RandomRunnerSettings settings)
    {
        settings.Validate();
        _settings = settings;
        _random = new Random(settings.Seed);
        _nextMicros = settings.FirstCrossingMicros;
    }

    /// <summary>Builds the 96-bit EPC the stream gives a runner's chip: "TM01", the runner number, the chip number.</summary>
    /// <param name="runner">Runner number.</param>
    /// <param name="chip">Chip number on the runner, 1-based.</param>
    /// <returns>12 bytes.</returns>
    public static byte[] Epc(int runner, int chip) =>
        [0x54, 0x4D, 0x30, 0x31, (byte)(runner >> 24), (byte)(runner >> 16), (byte)(runner >> 8), (byte)runner, 0x00, (byte)chip, 0x00, 0x00];

    /// <inheritdoc />
    public bool TryNext(out RunnerCrossing runner)
    {
        if (_settings.ChipCrossings > 0 && _chips >= _settings.ChipCrossings)
        {
            runner = null!;
            return false;
        }

        _runners++;
        var at = (long)Math.Round(_nextMicros);
        _nextMicros += -Math.Log(1.0 - _random.NextDouble()) / _settings.RunnersPerSecond * 1e6;
        var speed = Uniform(_settings.MinSpeedMps, _settings.MaxSpeedMps);
        var lateral = Uniform(-_settings.LaneWidthM / 2, _settings.LaneWidthM / 2);
        var height = Uniform(_settings.MinChipHeightM, _settings.MaxChipHeightM);
        var two = _random.NextDouble() < _settings.TwoChipFraction && (_settings.ChipCrossings == 0 || _chips + 2 <= _settings.ChipCrossings);
        ModelChip[] chips = two
            ? [new ModelChip(Epc(_runners, 1), height), new ModelChip(Epc(_runners, 2), height, 0.2)]
            : [new ModelChip(Epc(_runners, 1), height)];
        _chips += chips.Length;
        runner = new RunnerCrossing(_runners, at, speed, lateral, chips);
        return true;
    }

    private double Uniform(double min, double max) => min + ((max - min) * _random.NextDouble());
}
