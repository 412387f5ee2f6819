using System.Diagnostics;
using TimingMat.Core.Passings;

namespace TimingMat.Emulators.Passings;

/// <summary>
/// Stands in for the crossing detector in real time: offers <see cref="SyntheticPassings"/> to a sink at a steady
/// rate from its own thread, holding a refused passing and offering it again (back-pressure, as the detector does).
/// </summary>
/// <remarks>
/// At 2,000 raw reads/s and 20 reads per crossing a start mat makes 100 passings/s; the rate is in passings.
/// Each passing's time is the wall-clock UTC when it was offered, so a collector can measure the delay.
/// </remarks>
public sealed class SyntheticDetector : IDisposable
{
    private readonly IPassingSink _sink;
    private readonly int _unitId;
    private readonly double _perSecond;
    private readonly int _last;
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;
    private int _generated;

    /// <summary>Initializes a new instance of the <see cref="SyntheticDetector"/> class.</summary>
    /// <param name="sink">Where passings go (a unit's ring).</param>
    /// <param name="unitId">Unit id written into the passings.</param>
    /// <param name="passingsPerSecond">Rate.</param>
    /// <param name="lastNumber">Number of the last passing to make.</param>
    /// <param name="resumeAfter">Number of the last passing already made (0 for a fresh start).</param>
    public SyntheticDetector(IPassingSink sink, int unitId, double passingsPerSecond, int lastNumber, int resumeAfter = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(passingsPerSecond);
        _sink = sink;
        _unitId = unitId;
        _perSecond = passingsPerSecond;
        _last = lastNumber;
        _generated = resumeAfter;
    }

    /// <summary>Gets the number of the last passing the sink took.</summary>
    public int Generated => Volatile.Read(ref _generated);

    /// <summary>Gets a value indicating whether every passing up to the last number was taken.</summary>
    public bool Finished => Generated >= _last;

    /// <summary>Gets the number of offers the sink refused (back-pressure).</summary>
    public int Refusals { get; private set; }

    /// <summary>Starts offering passings.</summary>
    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = $"synthetic-detector-{_unitId}" };
        _thread.Start();
    }

    /// <summary>Stops offering and waits for the thread.</summary>
    public void Stop()
    {
        _stop.Cancel();
        _thread?.Join();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    private void Run()
    {
        var passing = new Passing();
        var clock = Stopwatch.StartNew();
        var start = _generated;
        while (_generated < _last && !_stop.IsCancellationRequested)
        {
            var due = start + (long)(clock.Elapsed.TotalSeconds * _perSecond);
            if (_generated >= due)
            {
                Thread.Sleep(1);
                continue;
            }

            SyntheticPassings.Fill(passing, _unitId, _generated + 1, SyntheticPassings.UtcNowMicros());
            while (!_sink.TryAccept(passing))
            {
                Refusals++;
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                Thread.Sleep(1);
            }

            Interlocked.Increment(ref _generated);
        }
    }
}
