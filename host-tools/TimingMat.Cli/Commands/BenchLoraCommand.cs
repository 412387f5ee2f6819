using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using TimingMat.Bench.LoRa;
using TimingMat.Cli.Infrastructure;

namespace TimingMat.Cli.Commands;

/// <summary>
/// <c>timingmat bench lora</c>: what the LoRa fallback carries. For each spreading factor, bandwidth and band, a unit's
/// real LoRa uplink with an endless backlog and the real gateway on the emulated air, on simulated time: passings an
/// hour, passings a packet, airtime. Then an outage: the crowd passes at a rate for N minutes with the network down;
/// what LoRa delivered during them, the backlog at their end, and how long LoRa alone takes to clear it.
/// </summary>
internal static class BenchLoraCommand
{
    public static Command Create(CommandOutput output)
    {
        var sf = new Option<string>("--sf") { Description = "Spreading factors, comma-separated (7-12)", DefaultValueFactory = _ => "7,8,9,10,11,12" };
        var bw = new Option<string>("--bw") { Description = "Bandwidths in kHz, comma-separated (125, 250, 500)", DefaultValueFactory = _ => "125,250,500" };
        var band = new Option<string>("--band") { Description = "Bands, comma-separated: eu868-1 (1 % duty cycle), eu868-10 (10 %), us915 (400 ms dwell)", DefaultValueFactory = _ => "eu868-1,eu868-10,us915" };
        var spacing = new Option<int>("--spacing-ms") { Description = "Time between two passings of the backlog (the crowd: 250 ms is 4 a second)", DefaultValueFactory = _ => 250 };
        var outage = new Option<int>("--outage-min") { Description = "Minutes the crowd passes with the mat's network down, in the outage run (0: no outage run)", DefaultValueFactory = _ => 30 };
        var rate = new Option<int>("--rate") { Description = "Passings an hour at the mat during the outage run", DefaultValueFactory = _ => 3500 };
        var order = new Option<string>("--order") { Description = "Which passings go first: oldest (elsewhere) or newest (a finish)", DefaultValueFactory = _ => "oldest" };
        order.AcceptOnlyFromAmong("oldest", "newest");
        var json = JsonOption.Create();
        var command = new Command("lora", "LoRa fallback throughput: passings an hour per spreading factor, bandwidth and band, and an outage's backlog (simulated time)")
        {
            sf,
            bw,
            band,
            spacing,
            outage,
            rate,
            order,
            json,
        };
        command.SetAction(parse => Run(
            output,
            Settings(parse.GetValue(sf)!, parse.GetValue(bw)!, parse.GetValue(band)!, parse.GetValue(order) == "newest"),
            parse.GetValue(spacing),
            parse.GetValue(outage),
            parse.GetValue(rate),
            JsonOption.Target(parse, json)));
        return command;
    }

    private static List<LoRaBenchSetting> Settings(string sfs, string bws, string bands, bool newestFirst)
    {
        var spreading = Numbers(sfs, "--sf", 7, 12);
        var widths = Numbers(bws, "--bw", 125, 500);
        if (widths.Any(w => w is not (125 or 250 or 500)))
        {
            throw new CliException(ExitCode.InvalidInput, $"--bw '{bws}': expected 125, 250 or 500 (kHz).");
        }

        var names = bands.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = names.FirstOrDefault(n => !LoRaBenchSetting.Bands.ContainsKey(n));
        if (names.Length == 0 || unknown != null)
        {
            throw new CliException(ExitCode.InvalidInput, $"--band '{unknown ?? bands}' is not a band.", "use " + string.Join(", ", LoRaBenchSetting.Bands.Keys) + ".");
        }

        return [.. from b in names from w in widths from s in spreading select new LoRaBenchSetting(s, w * 1000L, b, newestFirst)];
    }

    private static List<int> Numbers(string text, string option, int min, int max)
    {
        var values = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                throw new CliException(ExitCode.InvalidInput, $"{option} '{text}': '{part}' is not a whole number {min}-{max}.");
            }

            values.Add(value);
        }

        return values.Count > 0 ? values : throw new CliException(ExitCode.InvalidInput, $"{option} is empty.");
    }

    private static int Run(CommandOutput output, List<LoRaBenchSetting> settings, int spacingMs, int outageMinutes, int rate, string? json)
    {
        if (spacingMs is < 1 or > 3_600_000)
        {
            throw new CliException(ExitCode.InvalidInput, $"--spacing-ms must be 1-3600000, not {spacingMs}.");
        }

        if (outageMinutes is < 0 or > 1440 || rate is < 1 or > 100_000)
        {
            throw new CliException(ExitCode.InvalidInput, $"--outage-min must be 0-1440 and --rate 1-100000 passings an hour (got {outageMinutes} and {rate}).");
        }

        var wall = Stopwatch.StartNew();
        var capacity = settings.AsParallel().AsOrdered().Select(s => LoRaBench.Capacity(s, spacingMs)).ToList();
        var outages = outageMinutes == 0 ? [] : settings.AsParallel().AsOrdered().Select(s => LoRaBench.Outage(s, outageMinutes, rate, capMinutes: 360)).ToList();
        wall.Stop();
        if (json != JsonOption.StandardOutput)
        {
            WriteText(output, capacity, outages, spacingMs, outageMinutes, rate, wall.Elapsed);
        }

        if (json != null)
        {
            output.WriteJson(
                new
                {
                    SpacingMs = spacingMs,
                    Order = settings.Count > 0 && settings[0].NewestFirst ? "newest" : "oldest",
                    Capacity = capacity.Select(c => new
                    {
                        Sf = c.Setting.SpreadingFactor,
                        BwKhz = c.Setting.BandwidthHz / 1000,
                        c.Setting.Band,
                        c.Fits,
                        c.MaxPacketBytes,
                        c.FullPacketMs,
                        c.PassingsPerPacket,
                        c.PassingsPerHour,
                        c.UnitAirtimePercent,
                        c.GatewayAirtimePercent,
                    }),
                    Outage = outages.Select(o => new
                    {
                        Sf = o.Setting.SpreadingFactor,
                        BwKhz = o.Setting.BandwidthHz / 1000,
                        o.Setting.Band,
                        o.OutageMinutes,
                        o.RatePerHour,
                        o.Arrived,
                        o.DeliveredDuringOutage,
                        o.BacklogAtEnd,
                        o.ClearedAfterMinutes,
                        o.LatencyP50Seconds,
                        o.LatencyP99Seconds,
                    }),
                },
                json == JsonOption.StandardOutput ? null : json);
        }

        return (int)ExitCode.Ok;
    }

    private static void WriteText(CommandOutput output, List<LoRaCapacity> capacity, List<LoRaOutage> outages, int spacingMs, int outageMinutes, int rate, TimeSpan wall)
    {
        var o = output.Out;
        o.WriteLine($"TimingMat bench lora: a unit's LoRa fallback and the gateway on the emulated air, a backlog of passings {spacingMs} ms apart");
        o.WriteLine("  band       BW kHz  SF  packet B  full ms  passings/packet  passings/h  unit air %  gateway air %");
        foreach (var c in capacity)
        {
            var s = c.Setting;
            o.WriteLine(c.Fits
                ? FormattableString.Invariant($"  {s.Band,-9}  {s.BandwidthHz / 1000,6}  {s.SpreadingFactor,2}  {c.MaxPacketBytes,8}  {c.FullPacketMs,7:0.0}  {c.PassingsPerPacket,15:0.0}  {c.PassingsPerHour,10:N0}  {c.UnitAirtimePercent,10:0.00}  {c.GatewayAirtimePercent,13:0.00}")
                : FormattableString.Invariant($"  {s.Band,-9}  {s.BandwidthHz / 1000,6}  {s.SpreadingFactor,2}  {c.MaxPacketBytes,8}        -  no packet fits the airtime limit"));
        }

        if (outages.Count > 0)
        {
            o.WriteLine($"Outage: {rate:N0} passings an hour for {outageMinutes} min with the mat's network down, LoRa after 30 s until all are delivered (6 h at most)");
            o.WriteLine("  band       BW kHz  SF  made  by the end  backlog then  all delivered after  latency p50 s    p99 s");
            foreach (var r in outages)
            {
                var s = r.Setting;
                var cleared = r.Arrived == 0 ? "no packet fits" : r.ClearedAfterMinutes is double m ? FormattableString.Invariant($"{m:0.0} min") : "over 6 h";
                o.WriteLine(FormattableString.Invariant($"  {s.Band,-9}  {s.BandwidthHz / 1000,6}  {s.SpreadingFactor,2}  {r.Arrived,4}  {r.DeliveredDuringOutage,10}  {r.BacklogAtEnd,12}  {cleared,19}  {r.LatencyP50Seconds,13:0.0}  {r.LatencyP99Seconds,7:0.0}"));
            }
        }

        o.WriteLine($"{capacity.Count} setting(s) in {wall.TotalSeconds:0.0} s.");
    }
}
