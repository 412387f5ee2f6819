using TimingMat.Core.Reader;
using TimingMat.Emulators.Reader;

namespace TimingMat.Emulators.Crossings;

/// <summary>
/// Stands in for the reader hardware path (reader emulator → serial line → reader driver) until it exists: takes the
/// reads each reader's <see cref="ITagSource"/> produces, merges the readers in time order and delivers each as a
/// <see cref="TagRead"/> the way a driver would — one reused instance, RSSI rounded to what the module reports,
/// <see cref="TagRead.LocalMicros"/> the time the read happened.
/// </summary>
/// <remarks>
/// The real path will add the frame's wire time (about 2 ms for an M6e tag frame at 115200 baud) and queueing on a
/// busy line to <see cref="TagRead.LocalMicros"/>; this stand-in adds none, so error figures measured through it are
/// the detector's own.
/// </remarks>
public sealed class DirectReadPath
{
    private readonly IReadOnlyList<ITagSource> _readers;
    private readonly ITagReadSink _sink;
    private readonly int _rssiStepCentiDbm;
    private readonly List<EmulatedRead>[] _taken;
    private readonly int[] _next;
    private readonly TagRead _read = new();

    /// <summary>Initializes a new instance of the <see cref="DirectReadPath"/> class.</summary>
    /// <param name="readers">The mat's readers; the index in the list is the read's <see cref="TagRead.ReaderIndex"/>.</param>
    /// <param name="sink">Receives the reads (the race-day control, the detector, a test).</param>
    /// <param name="rssiStepCentiDbm">RSSI resolution the module reports, centi-dBm (100: whole dBm, as the M6e and R2000 do).</param>
    public DirectReadPath(IReadOnlyList<ITagSource> readers, ITagReadSink sink, int rssiStepCentiDbm = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rssiStepCentiDbm, 1);
        _readers = readers;
        _sink = sink;
        _rssiStepCentiDbm = rssiStepCentiDbm;
        _taken = new List<EmulatedRead>[readers.Count];
        _next = new int[readers.Count];
        for (var r = 0; r < readers.Count; r++)
        {
            _taken[r] = [];
        }
    }

    /// <summary>Gets or sets an observer called with each read as it is delivered (reader index and the delivered read), e.g. to write it to a file.</summary>
    public Action<int, TagRead>? Observer { get; set; }

    /// <summary>Gets the number of reads delivered.</summary>
    public long Delivered { get; private set; }

    /// <summary>Delivers every read up to a time, oldest first across readers.</summary>
    /// <param name="untilMicros">Unit-local µs; reads at or before it are delivered.</param>
    /// <returns>The number delivered.</returns>
    public int PumpUntil(long untilMicros)
    {
        for (var r = 0; r < _readers.Count; r++)
        {
            _taken[r].Clear();
            _next[r] = 0;
            _readers[r].TakeReads(untilMicros, _taken[r]);
        }

        var delivered = 0;
        while (true)
        {
            var reader = -1;
            for (var r = 0; r < _readers.Count; r++)
            {
                if (_next[r] < _taken[r].Count && (reader < 0 || _taken[r][_next[r]].AtMicros < _taken[reader][_next[reader]].AtMicros))
                {
                    reader = r;
                }
            }

            if (reader < 0)
            {
                return delivered;
            }

            Deliver(reader, _taken[reader][_next[reader]++]);
            delivered++;
        }
    }

    private void Deliver(int reader, EmulatedRead read)
    {
        Array.Copy(read.Epc, _read.Epc, read.Epc.Length);
        _read.EpcLength = read.Epc.Length;
        _read.RssiCentiDbm = (int)Math.Round((double)read.RssiCentiDbm / _rssiStepCentiDbm, MidpointRounding.AwayFromZero) * _rssiStepCentiDbm;
        _read.Antenna = read.Antenna;
        _read.ReaderIndex = reader;
        _read.FrequencyKhz = read.FrequencyKhz;
        _read.ReaderTimestamp = TagRead.NoReaderTimestamp;
        _read.LocalMicros = read.AtMicros;
        Delivered++;
        Observer?.Invoke(reader, _read);
        _sink.OnTagRead(_read);
    }
}
