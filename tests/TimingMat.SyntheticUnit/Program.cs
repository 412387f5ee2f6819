using System.Globalization;
using System.Text.Json;
using TimingMat.Emulators.Passings;
using TimingMat.Host.Uplink;
using TimingMat.Mqtt;

// A mat unit as a process, fed with synthetic passings (see the csproj). Arguments:
//   --broker mqtt://127.0.0.1:1883 --unit 7 --dir JOURNAL_DIR --rate PASSINGS_PER_S --count N [--exit-when-acked]
// Passing numbers continue after the last one in the journal, so a killed and restarted unit re-makes exactly the
// passings that were only in RAM. Prints one JSON object per line: started, progress (every 200 ms), done.
var arguments = ParseArguments(args);
if (!MqttBrokerAddress.TryParse(arguments["broker"], out var broker, out var error))
{
    Console.Error.WriteLine(error);
    return 2;
}

var unit = int.Parse(arguments["unit"], CultureInfo.InvariantCulture);
var rate = double.Parse(arguments["rate"], CultureInfo.InvariantCulture);
var count = int.Parse(arguments["count"], CultureInfo.InvariantCulture);
var exitWhenAcked = arguments.ContainsKey("exit-when-acked");
var options = new DesktopUnitOptions(unit, arguments["dir"], broker!);
options.Uplink.KeepAliveSeconds = 5;
options.Uplink.StatusIntervalMicros = 2_000_000;
using var uplink = new DesktopUnitUplink(options);
if (!uplink.Open())
{
    Console.Error.WriteLine($"cannot open the journal in {arguments["dir"]}");
    return 3;
}

var resumeAfter = SyntheticPassings.LastNumberIn(uplink.Journal);
Emit(new { @event = "started", unit, journal_id = uplink.Journal.JournalId, resume_after = resumeAfter, durable = uplink.Journal.DurableSequence, acked = uplink.Journal.AckedSequence });
uplink.Start();

using var detector = new SyntheticDetector(uplink.Ring, unit, rate, count, resumeAfter);
var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
detector.Start();

while (!stop.IsCancellationRequested)
{
    Thread.Sleep(200);
    var s = uplink.Snapshot;
    Emit(new { @event = "progress", generated = detector.Generated, durable = s.DurableSequence, acked = s.AckedSequence, online = s.Online, in_flight = s.InFlight, ring = s.RingCount, error = s.LastError });
    if (exitWhenAcked && detector.Finished && s.RingCount == 0 && s.DurableSequence > 0 && s.AckedSequence == s.DurableSequence)
    {
        break;
    }
}

detector.Stop();
uplink.Stop();
var final = uplink.Snapshot;
Emit(new { @event = "done", generated = detector.Generated, durable = final.DurableSequence, acked = final.AckedSequence });
return 0;

static void Emit(object value)
{
    Console.Out.WriteLine(JsonSerializer.Serialize(value));
    Console.Out.Flush();
}

static Dictionary<string, string> ParseArguments(string[] args)
{
    var result = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i < args.Length; i++)
    {
        var name = args[i].TrimStart('-');
        result[name] = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : "true";
    }

    return result;
}
