using System.Text.Json;
using TimingMat.Collector;
using TimingMat.Mqtt.Broker;
using TimingMat.Simulation.Field;
using Xunit;

namespace TimingMat.Cli.Tests;

/// <summary>
/// <c>timingmat collect</c>: as a real process collecting from a real unit (<c>timingmat unit</c> on an emulated start
/// mat, see <see cref="StartLineUnit"/>), and its errors.
/// </summary>
public sealed class CollectCommandTests : IDisposable
{
    private readonly TempFolder _folder = new("tm-collect-");

    [Fact]
    public void Collect_AsARealProcess_StoresEveryPassingOfAUnit_AndStopsOnSigtermWithTheSummary()
    {
        using var broker = new MosquittoProcess();
        broker.Start();
        var db = Path.Combine(_folder.Path, "race.db");
        var summaryFile = Path.Combine(_folder.Path, "summary.json");

        // Runs until stopped, as at a race: a fixed --seconds window would race the process's own start-up on a
        // loaded machine, and the unit's acks would depend on how fast dotnet starts.
        using var collect = CliProcess.Start("collect", "--broker", broker.Address.ToString(), "--db", db, "--json", summaryFile);
        collect.WaitFor("Collecting from", TimeSpan.FromSeconds(60));
        var (timed, final) = TimeAStartLine(broker, 100);

        Assert.True(collect.Terminate(TimeSpan.FromSeconds(30)), "collect did not stop on SIGTERM");

        Assert.True(collect.ExitCode == 0, collect.Errors);
        var n = timed.Count;
        Assert.Contains($"Stopped: {n} new passing(s) this run, {n} in the database", collect.Output, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(File.ReadAllText(summaryFile));
        var root = summary.RootElement;
        Assert.Equal(n, root.GetProperty("passings_stored").GetInt64());
        Assert.Equal(n, root.GetProperty("total_passings").GetInt64());
        var unitSummary = root.GetProperty("units")[0];
        Assert.Equal(12, unitSummary.GetProperty("unit").GetInt32());
        Assert.Equal(n, unitSummary.GetProperty("contiguous_seq").GetInt64());
        Assert.Equal(0, unitSummary.GetProperty("gaps").GetArrayLength());
        Assert.Equal(n, final.GetProperty("journal").GetProperty("last_seq").GetInt64());

        // Every runner the reader read is one passing, in the order the unit journaled them.
        using var store = PassingStore.Open(db);
        var stored = store.ReadPassings(12);
        Assert.Equal(Enumerable.Range(1, n).Select(i => (long)i), stored.Select(p => p.Passing.Sequence));
        Assert.Equal(timed.Order(), stored.Select(p => RaceField.TryBibOf(p.Passing.Epc.AsSpan(0, p.Passing.EpcLength))).Order());
        Assert.Contains("\"state\":\"offline\"", store.ReadStatus(12), StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_WithACourse_KeepsTheMergedCrossings_AndSaysSo()
    {
        using var broker = new MosquittoProcess();
        broker.Start();
        var db = Path.Combine(_folder.Path, "race.db");
        var summaryFile = Path.Combine(_folder.Path, "summary.json");
        var course = Path.Combine(_folder.Path, "course.cfg");
        File.WriteAllText(course, """
            course.name = track-test
            point.1.name = start
            point.1.role = start
            point.1.km = 0
            point.1.line.1.units = 12
            point.2.name = finish
            point.2.role = finish
            point.2.km = 5
            point.2.line.1.units = 13
            point.2.line.2.units = 14
            point.2.line.2.offset_m = 2.5
            """);

        using var collect = CliProcess.Start("collect", "--broker", broker.Address.ToString(), "--db", db, "--course", course, "--json", summaryFile);
        collect.WaitFor("Collecting from", TimeSpan.FromSeconds(60));
        var (timed, _) = TimeAStartLine(broker, 60);

        Assert.True(collect.Terminate(TimeSpan.FromSeconds(30)), "collect did not stop on SIGTERM");

        Assert.True(collect.ExitCode == 0, collect.Errors);
        Assert.Contains("Course 'track-test': 2 timing points on 3 units, 1 with a backup line; passings merged per timing point and chip.", collect.Output, StringComparison.Ordinal);
        var n = timed.Count;
        Assert.Contains($"; {n} crossing(s) at the course's timing points.", collect.Output, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(File.ReadAllText(summaryFile));
        var root = summary.RootElement;
        Assert.Equal("track-test", root.GetProperty("course").GetString());
        Assert.Equal(n, root.GetProperty("crossings").GetInt64());
        Assert.Equal(n, root.GetProperty("crossings_by_point").GetProperty("start").GetInt64());
        Assert.Equal(0, root.GetProperty("crossings_by_point").GetProperty("finish").GetInt64());
        Assert.Equal(0, root.GetProperty("units_not_on_the_course").GetArrayLength());
        using var store = PassingStore.Open(db);
        Assert.All(store.ReadCrossings("start"), c => Assert.Equal((12, "line", 1), (c.Unit, c.TimeFrom, c.LinesRead)));
    }

    [Fact]
    public void Collect_WithACourseThatDoesNotAddUp_IsInvalidInput_NamingTheLine_BeforeTouchingTheDatabase()
    {
        var course = Path.Combine(_folder.Path, "course.cfg");
        File.WriteAllText(course, "course.name = x\npoint.1.name = start\npoint.1.role = start\npoint.1.km = 0\npoint.1.line.1.units = 1\npoint.2.name = finish\npoint.2.role = finnish\n");
        var db = Path.Combine(_folder.Path, "race.db");

        var (code, _, stderr) = CliRunner.InProcess("collect", "--db", db, "--course", course);

        Assert.Equal(12, code);
        Assert.Contains("--course: ", stderr, StringComparison.Ordinal);
        Assert.Contains("course.cfg: line 7: point.2.role = finnish: unknown role; expected check-in, start, split, turnaround or finish", stderr, StringComparison.Ordinal);
        Assert.Contains("fix:", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(db));

        var missing = CliRunner.InProcess("collect", "--db", db, "--course", Path.Combine(_folder.Path, "no-course.cfg"));
        Assert.Equal(10, missing.Code);
    }

    [Fact]
    public void Collect_IntoAFileThatIsNotADatabase_FailsWithInvalidInput_AndLeavesTheFileAlone()
    {
        var notes = Path.Combine(_folder.Path, "notes.txt");
        File.WriteAllText(notes, "start list, do not overwrite\n");

        var (code, _, stderr) = CliRunner.InProcess("collect", "--db", notes, "--broker", "mqtt://127.0.0.1:1");

        Assert.Equal(12, code);
        Assert.Contains("error TM12 invalid-input: 'notes.txt' is not a SQLite database", stderr.Replace(_folder.Path + Path.DirectorySeparatorChar, string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal("start list, do not overwrite\n", File.ReadAllText(notes));
    }

    [Fact]
    public void Collect_IntoAnotherApplicationsDatabase_IsRefused()
    {
        var other = Path.Combine(_folder.Path, "other.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={other};Pooling=false"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE runners(bib INTEGER)";
            command.ExecuteNonQuery();
        }

        var (code, _, stderr) = CliRunner.InProcess("collect", "--db", other);

        Assert.Equal(12, code);
        Assert.Contains("not a TimingMat collector database", stderr, StringComparison.Ordinal);
        Assert.Contains("runners", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_IntoAMissingFolder_IsFileNotFound()
    {
        var (code, _, stderr) = CliRunner.InProcess("collect", "--db", Path.Combine(_folder.Path, "no-such-folder", "race.db"));

        Assert.Equal(10, code);
        Assert.Contains("error TM10 file-not-found", stderr, StringComparison.Ordinal);
        Assert.Contains("fix:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_IntoAFolder_IsFileUnreadable()
    {
        var (code, _, stderr) = CliRunner.InProcess("collect", "--db", _folder.Path);

        Assert.Equal(11, code);
        Assert.Contains("is a folder, not a file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_WithoutABroker_IsBrokerUnreachable()
    {
        var port = MosquittoProcess.FreeLoopbackPort();

        var (code, _, stderr) = CliRunner.InProcess("collect", "--broker", $"mqtt://127.0.0.1:{port}", "--db", Path.Combine(_folder.Path, "race.db"));

        Assert.Equal(40, code);
        Assert.Contains($"error TM40 broker-unreachable: cannot reach the broker at mqtt://127.0.0.1:{port}", stderr, StringComparison.Ordinal);
        Assert.Contains("--wait", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:1883")]
    [InlineData("mqtt://host:1883/topic")]
    public void Collect_WithABadBrokerUrl_IsInvalidInput(string url)
    {
        var (code, _, stderr) = CliRunner.InProcess("collect", "--broker", url, "--db", Path.Combine(_folder.Path, "race.db"));

        Assert.Equal(12, code);
        Assert.Contains("--broker:", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder.Path, "race.db")));
    }

    [Fact]
    public void Collect_WithACaFileThatIsNoCertificate_IsInvalidInput()
    {
        var ca = Path.Combine(_folder.Path, "ca.pem");
        File.WriteAllText(ca, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");

        var (code, _, stderr) = CliRunner.InProcess("collect", "--broker", "mqtts://127.0.0.1:1", "--ca", ca, "--db", Path.Combine(_folder.Path, "race.db"));

        Assert.Equal(12, code);
        Assert.Contains("is not a PEM or DER certificate", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_WithoutDb_IsAUsageError()
    {
        var (code, _, stderr) = CliRunner.InProcess("collect");

        Assert.Equal(2, code);
        Assert.Contains("--db", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_WithLoraOnAnSpiDeviceThatIsNotThere_IsPortUnavailable_WithAFix_AndCreatesNoDatabase()
    {
        var keys = KeysFile(string.Empty);
        var db = Path.Combine(_folder.Path, "race.db");

        var (code, _, stderr) = CliRunner.InProcess("collect", "--db", db, "--broker", "mqtt://127.0.0.1:1", "--lora", "spidev9.9", "--lora-keys", keys);

        Assert.Equal(20, code);
        Assert.Contains("the LoRa radio's SPI device cannot be opened", stderr, StringComparison.Ordinal);
        Assert.Contains("/dev/spidev9.9", stderr, StringComparison.Ordinal);
        Assert.Contains("fix: enable SPI", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(db));
    }

    [Fact]
    public void Collect_WithLoraButNoKeys_IsAUsageError_ThatSaysWhy()
    {
        var (code, _, stderr) = CliRunner.InProcess("collect", "--db", Path.Combine(_folder.Path, "race.db"), "--lora", "spidev0.0");

        Assert.Equal(2, code);
        Assert.Contains("--lora needs --lora-keys", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ttyUSB0", "is not an SPI device")]
    [InlineData("spidev0", "is not an SPI device")]
    [InlineData("/dev/spidevA.0", "is not an SPI device")]
    public void Collect_WithLoraOnSomethingElse_IsInvalidInput(string device, string says)
    {
        var (code, _, stderr) = CliRunner.InProcess("collect", "--db", Path.Combine(_folder.Path, "race.db"), "--lora", device);

        Assert.Equal(12, code);
        Assert.Contains(says, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_WithLoraKeysThatAreNoKeys_IsInvalidInput_NamingTheLine_WithoutPrintingASecret()
    {
        var keys = KeysFile("22 = 00aabb\n");

        var (code, _, stderr) = CliRunner.InProcess("collect", "--db", Path.Combine(_folder.Path, "race.db"), "--lora", "spidev0.0", "--lora-keys", keys, "--lora-sf", "9");

        Assert.Equal(12, code);
        Assert.Contains("--lora-keys", stderr, StringComparison.Ordinal);
        Assert.Contains("line 2", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("1f2e3d4c", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Collect_WithALoraSpreadingFactorOutOfRange_IsInvalidInput()
    {
        var keys = KeysFile(string.Empty);

        var (code, _, stderr) = CliRunner.InProcess("collect", "--db", Path.Combine(_folder.Path, "race.db"), "--lora", "spidev0.0", "--lora-keys", keys, "--lora-sf", "13");

        Assert.Equal(12, code);
        Assert.Contains("--lora-sf", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>
    /// Unit 12 at a start line times runners crossing at 20 a second; returns once the collector acknowledged every
    /// passing and the unit stopped: the bibs its reader read (each must be one passing) and its final status.
    /// </summary>
    private (List<int> Timed, JsonElement Final) TimeAStartLine(MosquittoProcess broker, int runners)
    {
        using var unit = new StartLineUnit(12, _folder, broker.Address, runners, perSecond: 20);
        var final = unit.FinishAndStop(TimeSpan.FromSeconds(120));
        var timed = unit.BibsRead;
        Assert.True(timed.Count >= runners - 1, $"the reader read only {timed.Count} of {runners} runners");
        var journal = final.GetProperty("journal");
        Assert.Equal(timed.Count, journal.GetProperty("last_seq").GetInt64());
        Assert.Equal(timed.Count, journal.GetProperty("acked_seq").GetInt64());
        return (timed, final);
    }

    // keys.cfg with unit 21's key on its first line, then more lines.
    private string KeysFile(string more)
    {
        var keys = Path.Combine(_folder.Path, "keys.cfg");
        File.WriteAllText(keys, "21 = 1f2e3d4c5b6a79880716253443526170a1b2c3d4e5f60718293a4b5c6d7e8f90\n" + more);
        return keys;
    }
}
