using System.Text;
using BenchmarkDotNet.Attributes;
using TimingMat.Core.Clock.Nmea;
using TimingMat.Emulators.Gps;

namespace TimingMat.Benchmarks.Clock;

/// <summary>The NMEA parser over one second of a u-blox burst (RMC, VTG, GGA, GSA, 3 × GSV, GLL, ZDA): 0 B allocated.</summary>
[MemoryDiagnoser]
public class NmeaParserBenchmarks
{
    private readonly NmeaParser _parser = new();
    private byte[] _burst = [];

    [GlobalSetup]
    public void Setup()
    {
        var text = new StringBuilder();
        foreach (var body in new[]
        {
            "GNRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091226,,,A",
            "GNVTG,77.52,T,,M,0.004,N,0.008,K,A",
            "GNGGA,083559.00,4717.11437,N,00833.91522,E,1,08,1.01,499.6,M,48.0,M,,",
            "GNGSA,A,3,21,05,29,25,12,10,26,02,,,,,1.85,1.01,1.55",
            "GPGSV,3,1,11,02,48,298,24,05,23,047,31,10,10,185,17,12,36,112,30",
            "GPGSV,3,2,11,13,06,292,,21,44,078,29,25,17,148,21,26,56,174,36",
            "GPGSV,3,3,11,29,79,236,38,31,10,321,,32,01,120,",
            "GNGLL,4717.11437,N,00833.91522,E,083559.00,A,A",
            "GNZDA,083559.00,09,12,2026,00,00",
        })
        {
            text.Append(Encoding.ASCII.GetString(NmeaFormat.Sentence(body)));
        }

        _burst = Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>Parses one burst; returns the accepted count so the work is not optimised away.</summary>
    [Benchmark]
    public int OneSecondBurst()
    {
        var accepted = 0;
        foreach (var b in _burst)
        {
            if (_parser.Push(b) == NmeaLineResult.Accepted)
            {
                accepted++;
            }
        }

        return accepted;
    }
}
