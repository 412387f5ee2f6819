using BenchmarkDotNet.Attributes;
using TimingMat.Core.Reader;
using TimingMat.Core.Reader.Mercury;
using TimingMat.Core.Reader.R2000;

namespace TimingMat.Benchmarks;

/// <summary>
/// Tag records decoded per second and bytes allocated per record, the hot path of a start mat's reader ingest: bytes
/// → deframer (header search, CRC/checksum, arbitration) → record parser → the reused <see cref="TagRead"/>.
/// Each operation is one record (OperationsPerInvoke), so "Mean" is the time per record and "Allocated" B/record.
/// Goal: ≥ 2,000,000 records/s on one desktop core (Mean ≤ 500 ns), 0 B/record.
/// </summary>
[MemoryDiagnoser]
public class ReaderDecodeBenchmarks
{
    private const int Records = 2000;

    private readonly CountingSink _mercurySink = new();
    private readonly CountingSink _r2000Sink = new();
    private byte[] _mercury = [];
    private byte[] _r2000 = [];
    private MercuryDeframer _mercuryDeframer = null!;
    private R2000Deframer _r2000Deframer = null!;

    /// <summary>Gets or sets the size of the chunks fed to the deframer: a whole buffer, or UART-sized reads.</summary>
    [Params(64, 65536)]
    public int Chunk { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var buffer = new byte[300];
        var mercury = new List<byte>();
        var r2000 = new List<byte>();
        var record = new MercuryTagRecord { MetadataFlags = MercuryMetadata.Standard, SearchFlags = 0x1B, ReadCount = 1, Protocol = 5, Pc = 0x3000, TxPort = 1, RxPort = 1 };
        var tag = new R2000TagFrame { Address = 1, Command = R2000Command.RealTimeInventory, Antenna = 1 };
        var epc = new byte[12];
        for (var i = 0; i < Records; i++)
        {
            random.NextBytes(epc);
            record.SetEpc(epc, 0, 12);
            record.RssiDbm = -random.Next(30, 80);
            record.FrequencyKhz = 902_750 + (500 * random.Next(50));
            record.Timestamp = random.Next(1000);
            record.Phase = random.Next(180);
            mercury.AddRange(buffer.AsSpan(0, MercuryCodec.EncodeStreamedTagRead(buffer, 0, record)).ToArray());

            tag.SetEpc(epc, 0, 12, 0);
            tag.RssiDbm = record.RssiDbm;
            tag.FrequencyIndex = 7 + random.Next(50);
            r2000.AddRange(buffer.AsSpan(0, R2000Codec.EncodeTagFrame(buffer, 0, tag, 4)).ToArray());
        }

        _mercury = [.. mercury];
        _r2000 = [.. r2000];
        _mercuryDeframer = new MercuryDeframer(commands: false) { Sink = new MercuryToTagRead(_mercurySink) };
        _r2000Deframer = new R2000Deframer(commands: false) { Sink = new R2000ToTagRead(_r2000Sink) };
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long MercuryRecords() => Feed(_mercuryDeframer, _mercury, _mercurySink);

    [Benchmark(OperationsPerInvoke = Records)]
    public long R2000TagFrames() => Feed(_r2000Deframer, _r2000, _r2000Sink);

    private long Feed(FrameDeframer deframer, byte[] stream, CountingSink sink)
    {
        var before = sink.Reads;
        for (var i = 0; i < stream.Length; i += Chunk)
        {
            deframer.Feed(stream, i, Math.Min(Chunk, stream.Length - i));
        }

        // The end of the burst, as after the driver's inter-byte timeout: a frame that might overlap a next one is due.
        deframer.Flush();

        if (sink.Reads - before != Records)
        {
            throw new InvalidOperationException($"decoded {sink.Reads - before} of {Records} records");
        }

        return sink.Reads;
    }

    private sealed class CountingSink : ITagReadSink
    {
        public long Reads { get; private set; }

        public long RssiSum { get; private set; }

        public void OnTagRead(TagRead read)
        {
            Reads++;
            RssiSum += read.RssiCentiDbm;
        }
    }

    // What the drivers do per frame: parse into the reused record, fill the reused TagRead, hand it over.
    private sealed class MercuryToTagRead(ITagReadSink sink) : IFrameSink
    {
        private readonly MercuryTagRecord _record = new();
        private readonly TagRead _read = new();

        public void OnFrame(byte[] buffer, int offset, int length)
        {
            if (MercuryTagParser.ParseStreamed(buffer, offset, length, _record))
            {
                _record.CopyTo(_read);
                sink.OnTagRead(_read);
            }
        }
    }

    private sealed class R2000ToTagRead(ITagReadSink sink) : IFrameSink
    {
        private readonly R2000TagFrame _tag = new();
        private readonly TagRead _read = new();

        public void OnFrame(byte[] buffer, int offset, int length)
        {
            if (R2000Codec.ParseTagFrame(buffer, offset, length, 4, _tag))
            {
                _tag.CopyTo(_read);
                sink.OnTagRead(_read);
            }
        }
    }
}
