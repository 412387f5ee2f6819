using TimingMat.Core.BringUp;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Pps;
using TimingMat.Emulators.Radio;
using TimingMat.Emulators.Serial;
using TimingMat.Emulators.Storage;
using Xunit;

namespace TimingMat.Core.Tests.BringUp;

public class WiringCheckTests
{
    private readonly SimulatedClock _clock = new(5_000_000);
    private readonly SerialLine _reader;
    private readonly SerialLine _gps;
    private readonly QueuedPpsSource _pps = new();

    public WiringCheckTests()
    {
        _reader = new SerialLine(_clock, 115200);
        _gps = new SerialLine(_clock, 9600);
        foreach (var end in new[] { _reader.UnitEnd, _reader.ModuleEnd, _gps.UnitEnd, _gps.ModuleEnd })
        {
            end.Open();
        }
    }

    [Fact]
    public void HealthyUnit_ReportsWhatArrivedInEachSecond()
    {
        var check = new WiringCheck(_clock, _reader.UnitEnd, _gps.UnitEnd, _pps, new MemoryFileStore(), new Sx127xRegisterEmulator(), 1_000_000);
        var rmc = "$GPRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A*57\r\n"u8.ToArray();
        var gga = "$GPGGA,083559.00,4717.11437,N,00833.91522,E,1,08,1.01,499.6,M,48.0,M,,*5B\r\n"u8.ToArray();

        var reports = new List<WiringReport>();
        for (var second = 0; second < 3; second++)
        {
            _reader.ModuleEnd.Write(new byte[700], 0, 700);
            _pps.Capture(_clock.Now + 1200 + (second * 10));
            _gps.ModuleEnd.Write(rmc, 0, rmc.Length);
            _gps.ModuleEnd.Write(gga, 0, gga.Length);
            for (var ms = 0; ms < 1000; ms += 10)
            {
                _clock.Advance(10_000);
                if (check.Poll())
                {
                    reports.Add(check.LastReport);
                }
            }
        }

        Assert.Equal(3, reports.Count);
        Assert.All(reports, r => Assert.Equal(1_000_000, r.IntervalMicros));
        Assert.All(reports, r => Assert.Equal(700, r.ReaderBytes));
        Assert.All(reports, r => Assert.Equal(rmc.Length + gga.Length, r.GpsBytes));
        Assert.All(reports, r => Assert.Equal(2, r.GpsSentences));
        Assert.All(reports, r => Assert.Equal(1, r.PpsEdges));
        Assert.Equal(0, reports[0].LastPpsIntervalMicros);
        Assert.Equal(1_000_010, reports[2].LastPpsIntervalMicros);
        Assert.Equal(ProbeResult.Ok, reports[0].Storage);
        Assert.Equal(ProbeResult.Ok, reports[0].Radio);
        Assert.Equal($"reader 700 B, gps {rmc.Length + gga.Length} B (2 NMEA), pps 1 (1000010 us, dropped 0), storage ok, radio ok", reports[2].ToString());
    }

    [Fact]
    public void NothingArrives_ReportsZeros_AfterTheInterval()
    {
        var check = new WiringCheck(_clock, _reader.UnitEnd, _gps.UnitEnd, _pps, null!, null!, 1_000_000);

        _clock.Advance(999_999);
        Assert.False(check.Poll());
        Assert.Null(check.LastReport);
        _clock.Advance(1);
        Assert.True(check.Poll());

        var report = check.LastReport!;
        Assert.Equal((0, 0, 0, 0), (report.ReaderBytes, report.GpsBytes, report.GpsSentences, report.PpsEdges));
        Assert.Equal(ProbeResult.Absent, report.Storage);
        Assert.Equal(ProbeResult.Absent, report.Radio);
    }

    [Fact]
    public void GpsWiredAtTheWrongBaud_ShowsBytesButNoSentences()
    {
        _gps.UnitEnd.BaudRate = 115200;
        var check = new WiringCheck(_clock, _reader.UnitEnd, _gps.UnitEnd, _pps, null!, null!, 1_000_000);
        var sentences = string.Concat(Enumerable.Repeat("$GPZDA,083559.00,09,12,2002,00,00*62\r\n", 20));
        var bytes = System.Text.Encoding.ASCII.GetBytes(sentences);

        _gps.ModuleEnd.Write(bytes, 0, bytes.Length);
        _clock.Advance(1_000_000);
        check.Poll();

        Assert.Equal(bytes.Length, check.LastReport.GpsBytes);
        Assert.True(check.LastReport.GpsSentences < 5, $"garbled bytes should rarely look like '$', saw {check.LastReport.GpsSentences}");
    }

    [Fact]
    public void DeadStorageAndWrongRadio_AreReportedAsFailed()
    {
        var check = new WiringCheck(_clock, _reader.UnitEnd, _gps.UnitEnd, _pps, new CorruptingStore(), new Sx127xRegisterEmulator(version: 0x00), 1_000_000);
        _clock.Advance(1_000_000);
        check.Poll();

        Assert.Equal(ProbeResult.Failed, check.LastReport.Storage);
        Assert.Equal(ProbeResult.Failed, check.LastReport.Radio);
        Assert.EndsWith("storage failed, radio failed", check.LastReport.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void RadioProbe_ReadsRegVersionOverSpi()
    {
        var radio = new Sx127xRegisterEmulator();
        _ = new WiringCheck(_clock, _reader.UnitEnd, _gps.UnitEnd, _pps, null!, radio, 1_000_000);

        Assert.Equal(1, radio.Transfers);
    }

    [Fact]
    public void PpsRingOverflow_IsReportedAsDropped()
    {
        var check = new WiringCheck(_clock, _reader.UnitEnd, _gps.UnitEnd, _pps, null!, null!, 1_000_000);
        for (var i = 0; i < 10; i++)
        {
            _pps.Capture(_clock.Now + i);
        }

        _clock.Advance(1_000_000);
        check.Poll();

        Assert.Equal(8, check.LastReport.PpsEdges);
        Assert.Equal(2, check.LastReport.PpsDropped);
    }

    /// <summary>A card that accepts writes but reads back different bytes.</summary>
    private sealed class CorruptingStore : TimingMat.Core.Hardware.IFileStore
    {
        private readonly MemoryFileStore _inner = new();

        public string[] List() => _inner.List();

        public bool Exists(string name) => _inner.Exists(name);

        public long GetLength(string name) => _inner.GetLength(name);

        public void Append(string name, byte[] data, int offset, int count) => _inner.Append(name, data, offset, count);

        public int Read(string name, long position, byte[] buffer, int offset, int count)
        {
            var n = _inner.Read(name, position, buffer, offset, count);
            if (n > 0)
            {
                buffer[offset] ^= 0x01;
            }

            return n;
        }

        public void Flush(string name) => _inner.Flush(name);

        public void Truncate(string name, long length) => _inner.Truncate(name, length);

        public void Delete(string name) => _inner.Delete(name);

        public long GetFreeBytes() => _inner.GetFreeBytes();
    }
}
