using System.Text;
using TimingMat.Core.Clock.Nmea;
using TimingMat.Emulators.Gps;
using Xunit;

namespace TimingMat.Emulators.Tests.Gps;

public class GpsEmulatorTests
{
    private static readonly long s_start = (new DateTime(2026, 10, 4, 6, 30, 0, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks / 10;

    [Fact]
    public void Timebase_RunsAtTheCrystalsRate()
    {
        var timebase = new UnitTimebase(new CrystalOscillator(10), s_start, localAtBoot: 1_000);

        Assert.Equal(1_000, timebase.ToLocal(s_start));
        Assert.Equal(1_000 + 1_000_010_000, timebase.ToLocal(s_start + 1_000_000_000));
        Assert.Equal(s_start + 1_000_000_000, timebase.ToTrueUtc(1_000 + 1_000_010_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => timebase.ToLocal(s_start - 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => timebase.ToTrueUtc(999));
    }

    [Fact]
    public void Timebase_MapsBothWays_WithinAMicrosecond_AndNeverBackwards()
    {
        var timebase = new UnitTimebase(new CrystalOscillator(-14.2, agingPpmPerDay: 0.05, wanderPpm: 0.5, seed: 3, referenceUtcMicros: s_start), s_start);
        var random = new Random(5);
        var previous = -1L;
        for (var i = 0; i < 5_000; i++)
        {
            var at = s_start + (i * 5_000_000L) + random.NextInt64(5_000_000);
            var local = timebase.ToLocal(at);
            Assert.InRange(timebase.ToTrueUtc(local) - at, -1, 1);
            Assert.True(local > previous);
            previous = local;
        }
    }

    [Fact]
    public void Crystal_WandersWithinItsBound_AroundTheAgedValue()
    {
        var crystal = new CrystalOscillator(3, agingPpmPerDay: 0.24, wanderPpm: 0.5, seed: 9, referenceUtcMicros: s_start);
        var hours = Enumerable.Range(0, 10 * 60).Select(m => s_start + (m * 60_000_000L)).ToList();

        var wander = hours.Select(t => crystal.FrequencyPpmAt(t) - 3 - (0.24 * (t - s_start) / 86_400e6)).ToList();

        Assert.All(wander, w => Assert.InRange(w, -0.5, 0.5));
        Assert.True(wander.Max() - wander.Min() > 0.3, "the temperature wander actually moves the frequency");
    }

    [Fact]
    public void HeavyLatency_Is70PercentUnderAMillisecond_AndNeverOver25()
    {
        var random = new Random(1);
        var draws = Enumerable.Range(0, 20_000).Select(_ => PpsLatencyModel.Heavy.Next(random)).ToList();

        Assert.All(draws, d => Assert.InRange(d, 0, 24_999));
        Assert.InRange(draws.Count(d => d < 1_000) / 20_000.0, 0.68, 0.72);
        Assert.InRange(draws.Average(), 4_050, 4_450);
        Assert.Equal(4_250, PpsLatencyModel.Heavy.MeanMicros, 6);
    }

    [Fact]
    public void LatencyModels_AreFoundByName()
    {
        Assert.Same(PpsLatencyModel.Uniform2, PpsLatencyModel.Parse("uniform2"));
        Assert.Same(PpsLatencyModel.Heavy, PpsLatencyModel.Parse("heavy"));
        Assert.Equal(["uniform2", "heavy", "uniform25", "none"], PpsLatencyModel.Names);
        var error = Assert.Throws<ArgumentException>(() => PpsLatencyModel.Parse("busy"));
        Assert.Contains("uniform2, heavy, uniform25, none", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new PpsLatencyModel("bad", new LatencyBand(1, 5, 5)));
    }

    [Fact]
    public void Nmea_HasTheChecksumOfTheReference()
    {
        Assert.Equal("$GPZDA,035751.00,18,04,2007,00,00*6B\r\n", Encoding.ASCII.GetString(NmeaFormat.Sentence("GPZDA,035751.00,18,04,2007,00,00")));
    }

    [Fact]
    public void EachSecond_ThePpsStampAndThenItsLabelledBurst()
    {
        var rig = new GpsRig(new CrystalOscillator(20), s_start, new GpsEmulatorOptions { AcquisitionSeconds = 0, Latency = PpsLatencyModel.None, NmeaJitterMicros = 0 });
        var parser = new NmeaParser();
        var buffer = new byte[256];
        var edges = new List<long>();
        var labels = new List<(long Local, NmeaSentenceType Type, int SecondOfDay, bool Fix)>();

        for (var t = 0; t < 4_999; t++)
        {
            rig.Gps.StepBy(1_000);
            while (rig.Pps.TryTakeEdge(out var edge))
            {
                edges.Add(edge);
            }

            var n = rig.GpsPort.Read(buffer, 0, buffer.Length);
            for (var i = 0; i < n; i++)
            {
                if (parser.Push(buffer[i]) == NmeaLineResult.Accepted)
                {
                    labels.Add((rig.Clock.Now, parser.Sentence.Type, parser.Sentence.SecondOfDay, parser.Sentence.HasFix));
                }
            }
        }

        // Five top-of-second edges, stamped on the unit's counter (20 ppm fast) with no latency.
        Assert.Equal(Enumerable.Range(0, 5).Select(s => rig.Timebase.ToLocal(s_start + (s * 1_000_000L))), edges);
        Assert.Equal(10, labels.Count);
        Assert.All(labels, l => Assert.True(l.Fix));
        for (var s = 0; s < 5; s++)
        {
            var rmc = labels[2 * s];
            var gga = labels[(2 * s) + 1];
            Assert.Equal((NmeaSentenceType.Rmc, NmeaSentenceType.Gga), (rmc.Type, gga.Type));
            Assert.Equal((6 * 3600) + (30 * 60) + s, rmc.SecondOfDay);
            Assert.Equal(rmc.SecondOfDay, gga.SecondOfDay);

            // 40 ms after the edge the burst starts; at 9600 baud each byte takes 1,042 µs on the wire.
            var rmcBytes = NmeaFormat.Sentence("GNRMC,063000.00,A,4717.11437,N,00833.91522,E,0.004,77.52,041026,,,A").Length;
            Assert.InRange(rmc.Local - edges[s], 40_000 + (rmcBytes * 1_042) - 1_000, 40_000 + (rmcBytes * 1_042) + 1_000);
        }
    }

    [Fact]
    public void ColdStart_NoPpsBeforeTheFix_AndTheBurstsSayNoFix()
    {
        var rig = new GpsRig(new CrystalOscillator(0), s_start, new GpsEmulatorOptions { AcquisitionSeconds = 20 });
        var (fixes, noFixes, timed) = Drain(rig, 19);

        Assert.Equal(0, rig.Gps.EdgesEmitted);
        Assert.Null(rig.Gps.FirstFixUtcMicros);
        Assert.Equal(0, fixes);
        Assert.Equal(38, noFixes);
        Assert.Equal(9, timed); // the second half of the acquisition prints RTC time with status V

        (fixes, _, _) = Drain(rig, 5);
        Assert.Equal(s_start + 20_000_000, rig.Gps.FirstFixUtcMicros);
        Assert.Equal(5, rig.Gps.EdgesEmitted);
        Assert.InRange(fixes, 8, 10);
    }

    [Fact]
    public void ScheduledFaults_CutTheWiresAndOffsetTheLabels()
    {
        var options = new GpsEmulatorOptions
        {
            AcquisitionSeconds = 0,
            Schedule =
            [
                new GpsCondition(GpsConditionKind.PpsCut, s_start, s_start + 3_000_000),
                new GpsCondition(GpsConditionKind.NmeaCut, s_start + 3_000_000, s_start + 6_000_000),
                new GpsCondition(GpsConditionKind.LabelOffset, s_start + 6_000_000, s_start + 9_000_000, OffsetSeconds: 18),
            ],
        };
        var rig = new GpsRig(new CrystalOscillator(0), s_start, options);
        var parser = new NmeaParser();
        var seconds = new List<int>();
        var buffer = new byte[256];
        var edges = 0;
        for (var t = 0; t < 1_000; t++)
        {
            rig.Gps.StepBy(10_000);
            while (rig.Pps.TryTakeEdge(out _))
            {
                edges++;
            }

            var n = rig.GpsPort.Read(buffer, 0, buffer.Length);
            for (var i = 0; i < n; i++)
            {
                if (parser.Push(buffer[i]) == NmeaLineResult.Accepted && parser.Sentence.Type == NmeaSentenceType.Rmc)
                {
                    seconds.Add(parser.Sentence.SecondOfDay - ((6 * 3600) + (30 * 60)));
                }
            }
        }

        Assert.Equal(7, edges);
        Assert.Equal([0, 1, 2, 24, 25, 26, 9], seconds);
    }

    [Fact]
    public void LeapSecond_IsPrintedAs235960()
    {
        var leap = (new DateTime(2016, 12, 31, 23, 59, 59, DateTimeKind.Utc) - DateTime.UnixEpoch).Ticks / 10;
        var rig = new GpsRig(new CrystalOscillator(0), leap - 2_000_000, new GpsEmulatorOptions { AcquisitionSeconds = 0, SendGga = false, SendZda = true, LeapSecondAfterUtcMicros = leap });
        var text = new StringBuilder();
        var buffer = new byte[256];
        for (var t = 0; t < 500; t++)
        {
            rig.Gps.StepBy(10_000);
            var n = rig.GpsPort.Read(buffer, 0, buffer.Length);
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        var zda = text.ToString().Split("\r\n").Where(l => l.StartsWith("$GNZDA", StringComparison.Ordinal)).Select(l => l[7..23]).ToList();
        Assert.Equal(["235957.00,31,12,", "235958.00,31,12,", "235959.00,31,12,", "235960.00,31,12,", "000000.00,01,01,"], zda);
        Assert.Equal(leap + 999_999, rig.Gps.PosixOf(leap + 1_500_000));
        Assert.Equal(leap + 1_000_000, rig.Gps.PosixOf(leap + 2_000_000));
    }

    [Fact]
    public void SameSeed_SameBytesAndStamps_OtherSeed_Others()
    {
        static (byte[] Bytes, List<long> Edges) Run(int seed)
        {
            var rig = new GpsRig(new CrystalOscillator(5, wanderPpm: 0.5, seed: seed), s_start, new GpsEmulatorOptions { Seed = seed, AcquisitionSeconds = 2, CorruptSentenceRate = 0.1, SendZda = true });
            var bytes = new List<byte>();
            var edges = new List<long>();
            var buffer = new byte[512];
            for (var t = 0; t < 3_000; t++)
            {
                rig.Gps.StepBy(10_000);
                var n = rig.GpsPort.Read(buffer, 0, buffer.Length);
                bytes.AddRange(buffer[..n]);
                while (rig.Pps.TryTakeEdge(out var e))
                {
                    edges.Add(e);
                }
            }

            return ([.. bytes], edges);
        }

        var a = Run(1);
        var b = Run(1);
        var c = Run(2);

        Assert.Equal(a.Bytes, b.Bytes);
        Assert.Equal(a.Edges, b.Edges);
        Assert.Equal(28, a.Edges.Count);
        Assert.NotEqual(a.Edges, c.Edges);
    }

    [Fact]
    public void UnitsOnOneTrueTimeline_EachRunOnItsOwnCrystal()
    {
        var fast = new GpsRig(new CrystalOscillator(15), s_start, new GpsEmulatorOptions { AcquisitionSeconds = 0 }, localAtBoot: 3_000_000);
        var slow = new GpsRig(new CrystalOscillator(-15), s_start, new GpsEmulatorOptions { AcquisitionSeconds = 0 }, localAtBoot: 7_000_000);

        var at = s_start + 600_000_000;
        fast.Gps.StepTo(at);
        slow.Gps.StepTo(at);

        Assert.Equal(3_000_000 + 600_009_000, fast.Clock.Now);
        Assert.Equal(7_000_000 + 599_991_000, slow.Clock.Now);
        Assert.InRange(fast.Gps.TrueUtcOf(fast.Clock.Now) - at, -1, 1);
        Assert.InRange(slow.Gps.TrueUtcOf(slow.Clock.Now) - at, -1, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => fast.Gps.StepTo(at - 1));
    }

    private static (int Fixes, int NoFixes, int Timed) Drain(GpsRig rig, int seconds)
    {
        var parser = new NmeaParser();
        var buffer = new byte[256];
        int fixes = 0, noFixes = 0, timed = 0;
        for (var t = 0; t < seconds * 100; t++)
        {
            rig.Gps.StepBy(10_000);
            var n = rig.GpsPort.Read(buffer, 0, buffer.Length);
            for (var i = 0; i < n; i++)
            {
                if (parser.Push(buffer[i]) == NmeaLineResult.Accepted)
                {
                    if (parser.Sentence.HasFix)
                    {
                        fixes++;
                    }
                    else
                    {
                        noFixes++;
                        if (parser.Sentence.HasTime && parser.Sentence.Type == NmeaSentenceType.Rmc)
                        {
                            timed++;
                        }
                    }
                }
            }
        }

        return (fixes, noFixes, timed);
    }
}
