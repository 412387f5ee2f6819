using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace TimingMat.Cli.Tests;

public class ExportCommandTests
{
    private const string Chip1 = "E28001000000000000000001";

    [Fact]
    public void Export_Csv_OneRowPerPassing_InTimeOrder_UtcAndLocal()
    {
        using var folder = new TempFolder("tm-export-");
        var (db, _) = KnownRace.Write(folder);

        var (code, stdout, stderr) = CliRunner.InProcess("export", "--db", db, "--format", "csv", "--utc-offset", "+02:00");

        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n');
        Assert.Equal("unit,seq,chip,time_utc,time_local,time_us,hits,rssi_dbm,antenna,clock,uncertainty_us,flags,source", lines[0]);
        Assert.Equal($"1,1,{Chip1},2026-10-04T08:00:02.000000Z,2026-10-04T10:00:02.000000+02:00,1791100802000000,31,-45.01,2,locked,4,,mqtt", lines[1]);
        Assert.Equal($"3,1,{Chip1},2026-10-04T08:25:00.123456Z,2026-10-04T10:25:00.123456+02:00,1791102300123456,33,-45.01,2,locked,4,,mqtt", lines.Single(l => l.StartsWith("3,1,", StringComparison.Ordinal)));
        Assert.Equal(KnownRace.Passings.Length + 2, lines.Length); // header, every chip passing (no gun marker, no test tag), the last line end
        Assert.Equal(string.Empty, lines[^1]);
        Assert.Contains("exported 18 passing(s) as csv", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_RaceResult_WritesDecoderPassingRecords()
    {
        using var folder = new TempFolder("tm-export-");
        var (db, _) = KnownRace.Write(folder);

        var (code, stdout, _) = CliRunner.InProcess("export", "--db", db, "--format", "raceresult", "--utc-offset", "+02:00");

        Assert.Equal(0, code);
        Assert.StartsWith($"1;{Chip1};2026-10-04;10:00:02.000;0;31;-45;;0;;;;;;;;unit 1;1;2;TM-1\r\n2;E28001000000000000000002;2026-10-04;10:00:03.000;0;34;-45;;0;;;;;;;;unit 1;1;3;TM-1\r\n", stdout, StringComparison.Ordinal);
        Assert.Equal(20, stdout.Split("\r\n")[0].Split(';').Length); // the protocol 1.6 record's 20 fields
    }

    [Fact]
    public void Export_JChip_WithCourseAndPoint_OneRecordPerFinishCrossing_ForCrossMgr()
    {
        using var folder = new TempFolder("tm-export-");
        var (db, course) = KnownRace.Write(folder);
        var file = folder.PathOf("finish.txt");

        var (code, stdout, stderr) = CliRunner.InProcess("export", "--db", db, "--format", "jchip", "--course", course, "--point", "finish", "--utc-offset", "+02:00", "--out", file);

        Assert.True(code == 0, stderr);
        Assert.Equal($"Wrote 6 crossing(s) as jchip to {file}.", stdout.Trim());
        var lines = File.ReadAllText(file).Split("\r\n");
        Assert.Equal($"Z{Chip1} 10:25:00.123456 10  00000      C7 date=20261004", lines[0]);
        Assert.Equal("ZE28001000000000000000002 10:26:40.000000 10  00001      C7 date=20261004", lines[1]);
        Assert.Equal("ZE28001000000000000000004 10:50:00.000000 10  00005      C7 date=20261004", lines[5]);
        Assert.Equal(7, lines.Length);
        Assert.False(File.Exists(file + ".part"));
    }

    [Fact]
    public void Export_CsvWithCourse_OneRowPerMergedCrossing()
    {
        using var folder = new TempFolder("tm-export-");
        var (db, course) = KnownRace.Write(folder);

        var (code, stdout, _) = CliRunner.InProcess("export", "--db", db, "--format", "csv", "--course", course, "--point", "finish", "--utc-offset", "Z");

        Assert.Equal(0, code);
        var lines = stdout.Split('\n');
        Assert.Equal("timing_point,chip,time_utc,time_local,time_us,line,unit,seq,hits,lines_read,speed_mps,time_from,passings", lines[0]);
        Assert.Equal($"finish,{Chip1},2026-10-04T08:25:00.123456Z,2026-10-04T08:25:00.123456+00:00,1791102300123456,1,3,1,33,1,,line,3:1", lines[1]);
        Assert.Equal(8, lines.Length);
    }

    [Fact]
    public async Task Export_JChipTo_ShakesHandsAsAJChipReceiver_AndSendsTheFinishCrossingsLive()
    {
        using var folder = new TempFolder("tm-export-live-");
        var (db, course) = KnownRace.Write(folder);
        using var crossMgr = new TcpListener(IPAddress.Loopback, 0);
        crossMgr.Start();
        var port = ((IPEndPoint)crossMgr.LocalEndpoint).Port;

        // CrossMgr's side of JChip.py: read the name, ask the time, say start, then read records until the close. On a
        // thread of its own: in a busy test run a pool thread can come later than the export's 10 s wait for "GT".
        var received = Task.Factory.StartNew(() =>
        {
            using var connection = crossMgr.AcceptTcpClient();
            connection.ReceiveTimeout = 10_000;
            var stream = connection.GetStream();
            var messages = new List<string>();
            var message = new StringBuilder();
            void Send(string text) => stream.Write(Encoding.ASCII.GetBytes(text + "\r"));
            int b;
            while ((b = stream.ReadByte()) >= 0)
            {
                if (b != '\r')
                {
                    message.Append((char)b);
                    continue;
                }

                messages.Add(message.ToString());
                if (message.ToString().StartsWith('N'))
                {
                    Send("GT");
                }
                else if (message.ToString().StartsWith("GT", StringComparison.Ordinal))
                {
                    Send("S0000");
                }

                message.Clear();
            }

            Assert.Equal(string.Empty, message.ToString()); // every message ended with CR alone
            return messages;
        }, TaskCreationOptions.LongRunning);

        var (code, stdout, stderr) = CliRunner.InProcess("export", "--db", db, "--format", "jchip", "--course", course, "--point", "finish", "--utc-offset", "+02:00", "--to", $"127.0.0.1:{port}");

        Assert.True(code == 0, stderr);
        Assert.Equal($"Sent 6 record(s) to CrossMgr at 127.0.0.1:{port}.", stdout.Trim());
        var messages = await received.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("N0000TIMINGMAT", messages[0]);
        Assert.Matches(@"^GT0\d{8} date=\d{8}$", messages[1]);
        Assert.Equal($"DA{Chip1} 10:25:00.123456 10  00000      C7 date=20261004", messages[2]);
        Assert.Equal("DAE28001000000000000000004 10:50:00.000000 10  00005      C7 date=20261004", messages[7]);
        Assert.Equal(8, messages.Count);
    }

    [Fact]
    public void Export_JChipTo_NobodyListening_IsANetworkError_WithAFix()
    {
        using var folder = new TempFolder("tm-export-live-");
        var (db, _) = KnownRace.Write(folder);
        var port = TimingMat.Mqtt.Broker.MosquittoProcess.FreeLoopbackPort();

        var (code, _, stderr) = CliRunner.InProcess("export", "--db", db, "--format", "jchip", "--to", $"127.0.0.1:{port}");

        Assert.Equal(40, code);
        Assert.Contains("CrossMgr's JChip receiver did not take the records", stderr, StringComparison.Ordinal);
        Assert.Contains("fix: in CrossMgr choose ChipReader", stderr, StringComparison.Ordinal);
        Assert.Equal(2, CliRunner.InProcess("export", "--db", db, "--format", "csv", "--to", "127.0.0.1").Code);
    }

    [Theory]
    [InlineData(2, "must be one of", "--format", "xml")]
    [InlineData(2, "--point needs --course", "--format", "csv", "--point", "finish")]
    [InlineData(12, "not an offset from UTC", "--format", "csv", "--utc-offset", "2h")]
    [InlineData(12, "not a timing point of course 'test-5k'", "--format", "csv", "--course", "COURSE", "--point", "10k")]
    [InlineData(12, "is the database itself", "--format", "csv", "--out", "DB")]
    [InlineData(60, "does not exist", "--format", "csv", "--out", "no/such/folder/x.csv")]
    public void Export_BadArguments_SayWhat_WithAFix(int expected, string message, params string[] args)
    {
        using var folder = new TempFolder("tm-export-bad-");
        var (db, course) = KnownRace.Write(folder);
        var full = new[] { "export", "--db", db }.Concat(args.Select(a => a == "COURSE" ? course : a == "DB" ? db : a.StartsWith("no/", StringComparison.Ordinal) ? folder.PathOf(a) : a)).ToArray();

        var (code, _, stderr) = CliRunner.InProcess(full);

        Assert.Equal(expected, code);
        Assert.Contains(message, stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("fix:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_NotACollectorDatabase_Exits12()
    {
        using var folder = new TempFolder("tm-export-bad-");
        var db = folder.Write("notes.db", "these are my race notes, not a database");

        var (code, _, stderr) = CliRunner.InProcess("export", "--db", db, "--format", "jchip");

        Assert.Equal(12, code);
        Assert.Contains("not a SQLite database", stderr, StringComparison.Ordinal);
        Assert.Equal("these are my race notes, not a database", File.ReadAllText(db));
    }
}
