namespace TimingMat.Bench.Clock;

/// <summary>
/// The naive clock discipline the benchmark compares against: an ordinary least-squares line through the same
/// PPS stamps the mat clock used, over the same window. Every stamp counts equally, so the line sits on the mean
/// handler latency instead of under the quickest runs.
/// </summary>
/// <param name="window">Stamps kept.</param>
internal sealed class PlainAverageFit(int window)
{
    private readonly Queue<(long Second, long Local)> _points = new();
    private double _slope = 1e6;
    private double _meanSecond;
    private double _meanLocal;

    /// <summary>Gets a value indicating whether the line is usable (8 stamps or more).</summary>
    public bool Ready => _points.Count >= 8;

    /// <summary>Adds a stamp and refits.</summary>
    /// <param name="second">UTC second of the edge.</param>
    /// <param name="local">Local µs of its stamp.</param>
    public void Add(long second, long local)
    {
        _points.Enqueue((second, local));
        if (_points.Count > window)
        {
            _points.Dequeue();
        }

        _meanSecond = _points.Average(p => (double)p.Second);
        _meanLocal = _points.Average(p => (double)p.Local);
        double sxx = 0, sxy = 0;
        foreach (var (s, l) in _points)
        {
            sxx += (s - _meanSecond) * (s - _meanSecond);
            sxy += (s - _meanSecond) * (l - _meanLocal);
        }

        _slope = sxx > 0 ? sxy / sxx : 1e6;
    }

    /// <summary>Maps a local stamp to UTC µs with the fitted line.</summary>
    /// <param name="local">Local µs.</param>
    /// <returns>UTC µs.</returns>
    public long ToUtcMicros(long local) => (long)Math.Round((_meanSecond + ((local - _meanLocal) / _slope)) * 1e6);
}
