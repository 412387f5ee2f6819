using System.CommandLine;
using System.Diagnostics;
using System.Text;
using TimingMat.Cli.Infrastructure;
using TimingMat.Collector;
using TimingMat.Collector.Courses;
using TimingMat.Collector.Lora;
using TimingMat.Core.Common;
using TimingMat.Core.Lora;
using TimingMat.Core.Outbox;
using TimingMat.Mqtt;

namespace TimingMat.Cli.Commands;

/// <summary>
/// <c>timingmat collect --broker mqtt://host:port --db FILE</c>: the race collector. Takes every unit's passing
/// batches from the broker, stores them by (unit, seq) in a SQLite file and acknowledges each batch to its unit once
/// it is on disk; a unit forgets nothing until then. Prints a line a second (units, passings, duplicates, gaps), or
/// each new passing as a JSON line with <c>--passings</c>; <c>--json</c> prints a summary when it stops. With
/// <c>--course FILE</c> it keeps the passings merged per timing point and chip (a main and a backup line give one
/// crossing), in the database's <c>crossings</c>. With
/// <c>--lora spidev0.0</c> it also runs the firmware's LoRa gateway on an SX127x on that SPI device, storing what the
/// mats send over LoRa straight into the same database and answering them.
/// </summary>
internal static class CollectCommand
{
    public static Command Create(CommandOutput output)
    {
        var broker = BrokerOptions.Create("mqtt://127.0.0.1:1883");
        var db = new Option<string>("--db") { Description = "SQLite file the passings go to (created when missing; reopening continues it)", Required = true, HelpName = "FILE" };
        var prefix = new Option<string>("--prefix") { Description = "Topic prefix of the units", DefaultValueFactory = _ => UplinkTopics.DefaultPrefix };
        var clientId = new Option<string>("--client-id") { Description = "MQTT client id; keep it the same across restarts so the broker queues batches while the collector is down", DefaultValueFactory = _ => "timingmat-collector" };
        var seconds = new Option<int>("--seconds") { Description = "Stop after this many seconds (0: run until Ctrl+C)", DefaultValueFactory = _ => 0 };
        var wait = new Option<bool>("--wait") { Description = "Keep trying when the broker cannot be reached at start, instead of failing" };
        var passings = new Option<bool>("--passings") { Description = "Print every new passing as a JSON line instead of the once-a-second summary" };
        var course = new Option<string?>("--course") { Description = "Course file (docs/course-format.md): keep the passings merged per timing point and chip, a main and a backup line giving one crossing", HelpName = "FILE" };
        var lora = CollectLoRaOptions.Create();
        var json = JsonOption.Create();
        var command = new Command("collect", "Collect passings from the mat units over MQTT into a SQLite file, acknowledging each batch once stored");
        foreach (var option in broker.All().Concat([db, prefix, clientId, seconds, wait, passings, course]).Concat(lora.All()).Concat([json]))
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, token) => Task.FromResult(Run(
            output,
            new Settings(parse.GetValue(db)!, parse.GetValue(prefix)!, parse.GetValue(clientId)!, parse.GetValue(seconds), parse.GetValue(wait), parse.GetValue(passings), parse.GetValue(course), lora.Read(parse)),
            broker.Read(parse),
            JsonOption.Target(parse, json),
            token)));
        return command;
    }

    private static int Run(CommandOutput output, Settings settings, BrokerSettings brokerSettings, string? json, CancellationToken token)
    {
        var broker = brokerSettings.Address;
        if (settings.Seconds < 0)
        {
            throw new CliException(ExitCode.InvalidInput, $"--seconds must be 0 or more, not {settings.Seconds}.");
        }

        CheckDatabasePath(settings.Database);
        var course = settings.Course == null ? null : RaceInputs.LoadCourse(settings.Course);
        var options = new CollectorOptions { TopicPrefix = settings.Prefix, ClientId = settings.ClientId, Username = brokerSettings.Username, Password = brokerSettings.Password, Course = course };
        using var radio = settings.Lora?.Open();
        using var service = OpenService(broker, settings.Database, options, brokerSettings);
        var human = json != JsonOption.StandardOutput && !settings.PrintPassings;
        if (settings.PrintPassings)
        {
            service.Collector.PassingStored += (_, e) => WritePassing(output, e.Passing);
        }

        if (!service.Connect() && !settings.Wait)
        {
            throw new CliException(ExitCode.BrokerUnreachable, $"cannot reach the broker at {broker}: {service.Link.LastError ?? "refused"}.", "check that the broker runs and the URL, or add --wait to keep trying.");
        }

        if (human)
        {
            output.Out.WriteLine($"Collecting from {broker} (topics {settings.Prefix}/+/passings) into {Path.GetFullPath(settings.Database)}. Ctrl+C stops.");
            if (course != null)
            {
                output.Out.WriteLine($"Course '{course.Name}': {course.TimingPoints.Count} timing points on {course.TimingPoints.Sum(p => p.Units.Count())} units, {course.TimingPoints.Count(p => p.HasBackup)} with a backup line; passings merged per timing point and chip.");
            }
        }

        service.Start();
        using var receiver = radio == null ? null : new DesktopLoRaReceiver(service, radio, settings.Lora!.Options, settings.Lora.Keys, settings.Lora.Chips);
        if (receiver != null && !receiver.Start() && human)
        {
            output.Out.WriteLine($"LoRa radio on {settings.Lora!.Device} not answering ({receiver.Gateway.Radio.Fault}); trying again every 10 s.");
        }
        else if (receiver != null && human)
        {
            output.Out.WriteLine($"LoRa receiver on {settings.Lora!.Device}: SF{settings.Lora.Options.Radio.SpreadingFactor}, {settings.Lora.Options.Radio.FrequencyHz / 1e6:0.000} MHz, {settings.Lora.Keys.Count} unit key(s), {settings.Lora.Chips?.Count ?? 0} chip(s).");
        }

        var clock = Stopwatch.StartNew();
        long lastCount = 0;
        while (!token.IsCancellationRequested)
        {
            var remaining = settings.Seconds == 0 ? 1000 : (settings.Seconds * 1000L) - clock.ElapsedMilliseconds;
            if (remaining <= 0)
            {
                break;
            }

            token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(Math.Min(1000, remaining)));
            if (human)
            {
                output.Out.WriteLine(service.Read((c, _) => SummaryLine(c, ref lastCount) + (receiver == null ? string.Empty : LoRaLine(receiver))));
            }
        }

        receiver?.Stop();
        service.Stop();
        var summary = service.Read((c, store) => Summary(broker, settings.Database, c, store, course, receiver));
        if (json != null)
        {
            output.WriteJson(summary, json == JsonOption.StandardOutput ? null : json);
        }

        if (human)
        {
            output.Out.WriteLine($"Stopped: {summary.PassingsStored} new passing(s) this run, {summary.TotalPassings} in the database, {summary.Duplicates} duplicate(s) ignored, {summary.BatchesRejected} batch(es) rejected"
                + (course == null ? "." : $"; {summary.Crossings} crossing(s) at the course's timing points{(summary.UnitsNotOnTheCourse.Count > 0 ? $", passings of unit(s) {string.Join(", ", summary.UnitsNotOnTheCourse)} not on the course" : string.Empty)}."));
        }

        return (int)ExitCode.Ok;
    }

    private static void CheckDatabasePath(string path)
    {
        if (Directory.Exists(path))
        {
            throw new CliException(ExitCode.FileUnreadable, $"--db '{path}' is a folder, not a file.", "give a file name inside it, e.g. race.db.");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder != null && !Directory.Exists(folder))
        {
            throw new CliException(ExitCode.FileNotFound, $"the folder of --db '{path}' does not exist.", "create the folder first, or give another path.");
        }
    }

    private static CollectorService OpenService(MqttBrokerAddress broker, string database, CollectorOptions options, BrokerSettings brokerSettings)
    {
        try
        {
            return new CollectorService(broker, database, options, brokerSettings.Configure);
        }
        catch (CollectorDatabaseException e)
        {
            throw new CliException(ExitCode.InvalidInput, e.Message, "give a new file name, or the database an earlier 'timingmat collect' wrote.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCode.FileUnreadable, $"cannot open --db '{database}': {e.Message}");
        }
    }

    private static void WritePassing(CommandOutput output, CollectedPassing passing)
    {
        var writer = new JsonWriter(2048);
        PassingJson.Write(writer, passing.Passing);
        output.Out.WriteLine(Encoding.ASCII.GetString(writer.Buffer, 0, writer.Length));
    }

    private static string SummaryLine(PassingCollector collector, ref long lastCount)
    {
        var rate = collector.PassingsStored - lastCount;
        lastCount = collector.PassingsStored;
        var gaps = collector.Ledger.Values.Where(u => u.WaitingAboveGap > 0).Select(u => $"unit {u.Unit} waits for {string.Join(",", u.Gaps(3).Select(g => g.From == g.To ? $"{g.From}" : $"{g.From}-{g.To}"))}").ToList();
        return $"  {(collector.IsOnline ? "online " : "OFFLINE")}  units {collector.Ledger.Count}  passings {collector.PassingsStored} (+{rate}/s)  duplicates {collector.Duplicates}  rejected {collector.BatchesRejected}"
            + (gaps.Count > 0 ? "  " + string.Join("; ", gaps) : string.Empty);
    }

    private static string LoRaLine(DesktopLoRaReceiver receiver)
    {
        var g = receiver.Gateway;
        return $"  lora {(receiver.SpiError != null ? "SPI ERROR " + receiver.SpiError : g.Radio.IsReady ? "listening" : "FAULT " + g.Radio.Fault)}: heard {g.Heard}, forwarded {g.Forwarded} ({g.PassingsForwarded} passings), refused {g.BadTag + g.Replays + g.Malformed + g.UnknownUnit}, acked {g.Acked}, late {g.AcksLate}";
    }

    private static CollectReport Summary(MqttBrokerAddress broker, string database, PassingCollector collector, PassingStore store, Course? course, DesktopLoRaReceiver? receiver) => new(
        broker.ToString(),
        Path.GetFullPath(database),
        collector.PassingsStored,
        store.CountPassings(),
        collector.Duplicates,
        collector.BatchesStored,
        collector.BatchesRejected,
        collector.LastRejection,
        store.CountConflicts(),
        [.. collector.Ledger.Values.OrderBy(u => u.Unit).Select(u => new UnitCollectFigures(u.Unit, u.JournalId, u.Contiguous, u.Highest, u.Batches, u.Duplicates, [.. u.Gaps().Select(g => new[] { g.From, g.To })]))],
        receiver == null ? null : LoRaSummaryOf(receiver))
    {
        Course = course?.Name,
        Crossings = course == null ? null : store.CountCrossings(),
        CrossingsByPoint = course?.TimingPoints.ToDictionary(p => p.Name, p => store.CountCrossings(p.Name)),
        UnitsNotOnTheCourse = course == null ? [] : [.. collector.Ledger.Keys.Where(u => !course.TryFind(u, out _, out _)).Order()],
    };

    private static LoRaCollectFigures LoRaSummaryOf(DesktopLoRaReceiver receiver)
    {
        var lora = receiver.Gateway;
        return new LoRaCollectFigures(lora.Radio.IsReady && receiver.SpiError == null, lora.Heard, lora.Damaged, lora.Forwarded, lora.PassingsForwarded, lora.BadTag, lora.Replays, lora.Malformed, lora.UnknownUnit, lora.Acked, lora.AcksLate, lora.DutyCycle.AirtimeMicros / 1e6, receiver.SpiError ?? lora.Radio.Fault);
    }

    private sealed record Settings(string Database, string Prefix, string ClientId, int Seconds, bool Wait, bool PrintPassings, string? Course, CollectLoRaOptions.Settings? Lora);

    private sealed record CollectReport(string Broker, string Database, long PassingsStored, long TotalPassings, long Duplicates, long Batches, long BatchesRejected, string? LastRejection, long Conflicts, List<UnitCollectFigures> Units, LoRaCollectFigures? Lora)
    {
        public string? Course { get; init; }

        public long? Crossings { get; init; }

        public Dictionary<string, long>? CrossingsByPoint { get; init; }

        public List<int> UnitsNotOnTheCourse { get; init; } = [];
    }


    private sealed record LoRaCollectFigures(bool Listening, long Heard, long Damaged, long Forwarded, long Passings, long BadTag, long Replays, long Malformed, long UnknownUnit, long Acked, long AcksLate, double AirtimeS, string? Fault);

    private sealed record UnitCollectFigures(int Unit, int JournalId, long ContiguousSeq, long HighestSeq, long Batches, long Duplicates, List<long[]> Gaps);
}
