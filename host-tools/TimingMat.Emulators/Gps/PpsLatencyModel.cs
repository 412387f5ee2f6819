namespace TimingMat.Emulators.Gps;

/// <summary>One band of a <see cref="PpsLatencyModel"/>: with probability proportional to <see cref="Weight"/>, a latency uniform in [<see cref="MinMicros"/>, <see cref="MaxMicros"/>).</summary>
/// <param name="Weight">Relative weight of the band.</param>
/// <param name="MinMicros">Shortest latency of the band, µs.</param>
/// <param name="MaxMicros">Longest latency of the band, µs (exclusive).</param>
public readonly record struct LatencyBand(double Weight, long MinMicros, long MaxMicros);

/// <summary>
/// How late the unit's managed PPS handler stamps an edge: a mixture of uniform bands. On nanoFramework the GPIO
/// event is queued and dispatched to a managed thread time-sliced at 20 ms, so the delay is one-sided and
/// variable (nanoframework.md §5).
/// </summary>
public sealed class PpsLatencyModel
{
    private readonly LatencyBand[] _bands;
    private readonly double _totalWeight;

    /// <summary>Initializes a new instance of the <see cref="PpsLatencyModel"/> class.</summary>
    /// <param name="name">Name used in reports.</param>
    /// <param name="bands">The bands; at least one, weights positive, each band's Max above its Min.</param>
    public PpsLatencyModel(string name, params LatencyBand[] bands)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (bands.Length == 0 || bands.Any(b => b.Weight <= 0 || b.MinMicros < 0 || b.MaxMicros <= b.MinMicros))
        {
            throw new ArgumentException("each band needs a positive weight and 0 <= min < max", nameof(bands));
        }

        Name = name;
        _bands = [.. bands];
        _totalWeight = bands.Sum(b => b.Weight);
    }

    /// <summary>Gets a handler with no delay at all (a hardware capture), for tests.</summary>
    public static PpsLatencyModel None { get; } = new("none", new LatencyBand(1, 0, 1));

    /// <summary>Gets a lightly loaded unit: uniform 0–2 ms.</summary>
    public static PpsLatencyModel Uniform2 { get; } = new("uniform2", new LatencyBand(1, 0, 2_000));

    /// <summary>Gets a busy unit: 70 % of edges 0–1 ms late, 30 % 1–25 ms late (the issue's "heavy" model).</summary>
    public static PpsLatencyModel Heavy { get; } = new("heavy", new LatencyBand(0.7, 0, 1_000), new LatencyBand(0.3, 1_000, 25_000));

    /// <summary>Gets the worst case of the platform notes: uniform 0.1–25 ms, no quick runs favoured.</summary>
    public static PpsLatencyModel Uniform25 { get; } = new("uniform25", new LatencyBand(1, 100, 25_000));

    /// <summary>Gets the names <see cref="Parse"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["uniform2", "heavy", "uniform25", "none"];

    /// <summary>Gets the model's name.</summary>
    public string Name { get; }

    /// <summary>Gets the bands.</summary>
    public IReadOnlyList<LatencyBand> Bands => _bands;

    /// <summary>Gets the mean latency in µs (what a plain average of stamps is biased by).</summary>
    public double MeanMicros => _bands.Sum(b => b.Weight * (b.MinMicros + b.MaxMicros) / 2.0) / _totalWeight;

    /// <summary>Finds a named model.</summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException">The name is unknown; the message lists the known ones.</exception>
    public static PpsLatencyModel Parse(string name) => name switch
    {
        "uniform2" => Uniform2,
        "heavy" => Heavy,
        "uniform25" => Uniform25,
        "none" => None,
        _ => throw new ArgumentException($"unknown latency model '{name}'; known: {string.Join(", ", Names)}", nameof(name)),
    };

    /// <summary>Draws one latency.</summary>
    /// <param name="random">The emulator's seeded generator.</param>
    /// <returns>µs, not negative.</returns>
    public long Next(Random random)
    {
        var pick = random.NextDouble() * _totalWeight;
        var band = _bands[^1];
        foreach (var b in _bands)
        {
            if (pick < b.Weight)
            {
                band = b;
                break;
            }

            pick -= b.Weight;
        }

        return random.NextInt64(band.MinMicros, band.MaxMicros);
    }
}
