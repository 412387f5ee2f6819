using System.CommandLine;
using System.Text.Json;
using TimingMat.Cli.Infrastructure;
using TimingMat.Core.Reader;
using TimingMat.Core.Reader.R2000;

namespace TimingMat.Cli.Commands;

/// <summary>
/// <c>timingmat decode r2000 FILE [--hex] [--from module|host] [--antenna-ports 4|8]</c>: decodes a captured Impinj R2000 /
/// E710 "0xA0" serial log with the firmware core's deframer and parsers. One JSON object per frame, then a summary line.
/// </summary>
internal static class DecodeR2000Command
{
    private const string Description =
        "Decode an Impinj R2000/E710 \"0xA0\" serial capture: one JSON object per frame, then a summary line.\n" +
        "Frame types: tag_read (inventory 0x89/0x8A/0x8B: address, epc, pc, rssi dBm, antenna, frequency_khz, " +
        "frequency_index, reader_timestamp [always null: the module sends none], phase when present), round_summary " +
        "(antenna, read_rate, total_read; duration_ms for 0x8A), error_status (one-code answer to an inventory), response " +
        "(any other answer: cmd, name, status or data), command (--from host). 'offset' is the frame's byte offset in the " +
        "decoded stream. The summary counts frames, tag reads and each error kind (checksum_errors, truncated_frames, " +
        "malformed_frames, malformed_records, skipped_bytes, resyncs).";

    public static Command Create(CommandOutput output)
    {
        var file = ReaderCapture.FileArgument();
        var hex = ReaderCapture.HexOption();
        var from = ReaderCapture.FromOption();
        var ports = new Option<int>("--antenna-ports")
        {
            Description = "Antenna ports of the reader: on 8-port readers bit 7 of the RSSI byte adds 4 to the antenna",
            DefaultValueFactory = _ => 4,
            HelpName = "4|8",
        };
        ports.AcceptOnlyFromAmong("4", "8");
        var command = new Command("r2000", Description) { file, hex, from, ports };
        command.SetAction(parse => Run(output, parse.GetValue(file)!, parse.GetValue(hex), parse.GetValue(from) == ReaderCapture.FromHost, parse.GetValue(ports)));
        return command;
    }

    private static int Run(CommandOutput output, string path, bool hex, bool fromHost, int antennaPorts)
    {
        var printer = new Printer(output.Out, fromHost, antennaPorts);
        var (bytes, raw) = ReaderCapture.Feed(path, hex, printer.Deframer);
        printer.WriteSummary(bytes);
        ReaderCapture.RequireFrames(path, "R2000", "mercury", bytes, printer.Deframer.Frames, hex, raw);
        return (int)ExitCode.Ok;
    }

    private sealed class Printer : IFrameSink
    {
        private readonly JsonLines _lines;
        private readonly bool _fromHost;
        private readonly int _antennaPorts;
        private readonly R2000TagFrame _tag = new();
        private readonly R2000RoundSummary _summary = new();
        private long _tagReads;
        private long _roundSummaries;
        private long _errorStatuses;
        private long _malformedRecords;

        public Printer(TextWriter output, bool fromHost, int antennaPorts)
        {
            _lines = new JsonLines(output);
            _fromHost = fromHost;
            _antennaPorts = antennaPorts;
            Deframer = new R2000Deframer(fromHost) { Sink = this };
        }

        public R2000Deframer Deframer { get; }

        public void OnFrame(byte[] frame, int offset, int length)
        {
            var at = Deframer.FrameOffset;
            var command = R2000Codec.Command(frame, offset);
            var dataLength = length - 5;
            if (_fromHost)
            {
                var json = Begin("command", at, frame, offset);
                json.WriteString("name", R2000Command.Name(command));
                JsonLines.WriteHex(json, "data", frame, offset + 4, dataLength);
                _lines.End();
                return;
            }

            if (R2000Command.IsInventory(command))
            {
                Inventory(frame, offset, length, at);
                return;
            }

            var answer = Begin("response", at, frame, offset);
            answer.WriteString("name", R2000Command.Name(command));
            if (dataLength == 1)
            {
                WriteStatus(answer, frame[offset + 4]);
                if (frame[offset + 4] != R2000Status.Success && command is not (R2000Command.GetWorkAntenna or R2000Command.GetOutputPower))
                {
                    _errorStatuses++;
                }
            }
            else
            {
                JsonLines.WriteHex(answer, "data", frame, offset + 4, dataLength);
            }

            _lines.End();
        }

        public void WriteSummary(long bytes)
        {
            var d = Deframer;
            var json = _lines.Begin("summary", -1);
            json.WriteString("protocol", "r2000");
            json.WriteNumber("bytes", bytes);
            json.WriteNumber("frames", d.Frames);
            json.WriteNumber("tag_reads", _tagReads);
            json.WriteNumber("round_summaries", _roundSummaries);
            json.WriteNumber("error_statuses", _errorStatuses);
            ReaderCapture.WriteErrorCounts(json, d, "checksum_errors", _malformedRecords);
            _lines.End();
        }

        private static void WriteStatus(Utf8JsonWriter json, int code)
        {
            json.WriteString("status", ReaderCapture.Hex2(code));
            if (code != R2000Status.Success)
            {
                json.WriteString("error", R2000Status.Name(code));
            }
        }

        private void Inventory(byte[] frame, int offset, int length, long at)
        {
            switch (R2000Codec.InventoryAnswerKind(frame, offset))
            {
                case R2000Codec.AckLength:
                    _errorStatuses++;
                    var error = Begin("error_status", at, frame, offset);
                    WriteStatus(error, frame[offset + 4]);
                    _lines.End();
                    return;
                case R2000Codec.SummaryLength:
                    R2000Codec.ParseRoundSummary(frame, offset, length, _summary);
                    _roundSummaries++;
                    var summary = Begin("round_summary", at, frame, offset);
                    if (_summary.Command == R2000Command.FastSwitchInventory)
                    {
                        summary.WriteNumber("total_read", _summary.TotalRead);
                        summary.WriteNumber("duration_ms", _summary.DurationMs);
                    }
                    else
                    {
                        summary.WriteNumber("antenna", _summary.Antenna);
                        summary.WriteNumber("read_rate", _summary.ReadRate);
                        summary.WriteNumber("total_read", _summary.TotalRead);
                    }

                    _lines.End();
                    return;
            }

            if (!R2000Codec.ParseTagFrame(frame, offset, length, _antennaPorts, _tag))
            {
                _malformedRecords++;
                var bad = Begin("malformed_record", at, frame, offset);
                JsonLines.WriteHex(bad, "data", frame, offset + 4, length - 5);
                _lines.End();
                return;
            }

            _tagReads++;
            var t = _tag;
            var json = Begin("tag_read", at, frame, offset);
            JsonLines.WriteHex(json, "epc", t.Epc, 0, t.EpcLength);
            json.WriteString("pc", t.Pc.ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteNumber("rssi", t.RssiDbm);
            json.WriteNumber("antenna", t.Antenna);
            if (t.FrequencyKhz != 0)
            {
                json.WriteNumber("frequency_khz", t.FrequencyKhz);
            }
            else
            {
                json.WriteNull("frequency_khz");
            }

            json.WriteNumber("frequency_index", t.FrequencyIndex);
            json.WriteNull("reader_timestamp");
            if (t.HasPhase)
            {
                json.WriteNumber("phase", t.Phase);
            }

            _lines.End();
        }

        private Utf8JsonWriter Begin(string type, long at, byte[] frame, int offset)
        {
            var json = _lines.Begin(type, at);
            json.WriteString("address", ReaderCapture.Hex2(R2000Codec.Address(frame, offset)));
            json.WriteString("cmd", ReaderCapture.Hex2(R2000Codec.Command(frame, offset)));
            return json;
        }
    }
}
