using System.CommandLine;
using System.Text.Json;
using TimingMat.Cli.Infrastructure;
using TimingMat.Core.Reader;
using TimingMat.Core.Reader.Mercury;

namespace TimingMat.Cli.Commands;

/// <summary>
/// <c>timingmat decode mercury FILE [--hex] [--from module|host]</c>: decodes a captured ThingMagic Mercury (M6e Nano)
/// serial log with the firmware core's deframer and tag-record parser. One JSON object per frame, then a summary line.
/// </summary>
internal static class DecodeMercuryCommand
{
    private const string Description =
        "Decode a ThingMagic Mercury (M6e Nano) serial capture: one JSON object per frame, then a summary line.\n" +
        "Frame types: tag_read (opcode 0x22 stream or each record of a 0x29 answer: epc, pc, rssi dBm, antenna, tx_antenna, " +
        "rx_antenna, frequency_khz, reader_timestamp [raw, unit unverified], read_count, phase, protocol, gpio; absent " +
        "metadata is null), keep_alive (status 0x0400), temperature_throttle (0x0504), error_status, status_report, " +
        "malformed_record, response (any other answer: opcode, name, status, data), command (--from host). 'offset' is " +
        "the frame's byte offset in the decoded stream. The summary counts frames, tag reads and each error kind " +
        "(crc_errors, truncated_frames, malformed_frames, malformed_records, skipped_bytes, resyncs).";

    public static Command Create(CommandOutput output)
    {
        var file = ReaderCapture.FileArgument();
        var hex = ReaderCapture.HexOption();
        var from = ReaderCapture.FromOption();
        var command = new Command("mercury", Description) { file, hex, from };
        command.SetAction(parse => Run(output, parse.GetValue(file)!, parse.GetValue(hex), parse.GetValue(from) == ReaderCapture.FromHost));
        return command;
    }

    private static int Run(CommandOutput output, string path, bool hex, bool fromHost)
    {
        var printer = new Printer(output.Out, fromHost);
        var (bytes, raw) = ReaderCapture.Feed(path, hex, printer.Deframer);
        printer.WriteSummary(bytes);
        ReaderCapture.RequireFrames(path, "Mercury", "r2000", bytes, printer.Deframer.Frames, hex, raw);
        return (int)ExitCode.Ok;
    }

    private sealed class Printer : IFrameSink
    {
        private readonly JsonLines _lines;
        private readonly bool _fromHost;
        private readonly MercuryTagRecord _record = new();
        private long _tagReads;
        private long _keepAlives;
        private long _throttles;
        private long _errorStatuses;
        private long _statusReports;
        private long _malformedRecords;

        public Printer(TextWriter output, bool fromHost)
        {
            _lines = new JsonLines(output);
            _fromHost = fromHost;
            Deframer = new MercuryDeframer(fromHost) { Sink = this };
        }

        public MercuryDeframer Deframer { get; }

        public void OnFrame(byte[] frame, int offset, int length)
        {
            var at = Deframer.FrameOffset;
            var opcode = MercuryCodec.Opcode(frame, offset);
            var dataLength = MercuryCodec.DataLength(frame, offset);
            if (_fromHost)
            {
                var json = Begin("command", at, opcode);
                json.WriteString("name", MercuryOpcode.Name(opcode));
                JsonLines.WriteHex(json, "data", frame, offset + 3, dataLength);
                _lines.End();
                return;
            }

            var status = MercuryCodec.Status(frame, offset);
            if (opcode == MercuryOpcode.ReadTagIdMultiple)
            {
                Stream(frame, offset, length, at, status, dataLength);
            }
            else if (opcode == MercuryOpcode.GetTagIdBuffer && status == MercuryStatus.Ok && MercuryTagParser.TagBufferCount(frame, offset, length) >= 0)
            {
                TagBuffer(frame, offset, length, at);
            }
            else
            {
                var json = Begin("response", at, opcode);
                json.WriteString("name", MercuryOpcode.Name(opcode));
                WriteStatus(json, status);
                JsonLines.WriteHex(json, "data", frame, offset + 5, dataLength);
                _lines.End();
                if (status != MercuryStatus.Ok)
                {
                    _errorStatuses++;
                }
            }
        }

        public void WriteSummary(long bytes)
        {
            var d = Deframer;
            var json = _lines.Begin("summary", -1);
            json.WriteString("protocol", "mercury");
            json.WriteNumber("bytes", bytes);
            json.WriteNumber("frames", d.Frames);
            json.WriteNumber("tag_reads", _tagReads);
            json.WriteNumber("keep_alives", _keepAlives);
            json.WriteNumber("temperature_throttles", _throttles);
            json.WriteNumber("error_statuses", _errorStatuses);
            json.WriteNumber("status_reports", _statusReports);
            ReaderCapture.WriteErrorCounts(json, d, "crc_errors", _malformedRecords);
            _lines.End();
        }

        private static void WriteStatus(Utf8JsonWriter json, int status)
        {
            json.WriteString("status", ReaderCapture.Hex4(status));
            if (status != MercuryStatus.Ok)
            {
                json.WriteString("error", MercuryStatus.Name(status));
            }
        }

        private void Stream(byte[] frame, int offset, int length, long at, int status, int dataLength)
        {
            if (dataLength == 0)
            {
                string type;
                switch (status)
                {
                    case MercuryStatus.NoTagsFound:
                        type = "keep_alive";
                        _keepAlives++;
                        break;
                    case MercuryStatus.TemperatureExceedsLimits:
                        type = "temperature_throttle";
                        _throttles++;
                        break;
                    default:
                        type = "error_status";
                        _errorStatuses++;
                        break;
                }

                var json = Begin(type, at, MercuryOpcode.ReadTagIdMultiple);
                if (type == "error_status")
                {
                    WriteStatus(json, status);
                }
                else
                {
                    json.WriteString("status", ReaderCapture.Hex4(status));
                }

                _lines.End();
                return;
            }

            if (status == MercuryStatus.Ok && MercuryTagParser.ParseStreamed(frame, offset, length, _record))
            {
                WriteRead(at, MercuryOpcode.ReadTagIdMultiple);
                return;
            }

            string kind;
            if (status != MercuryStatus.Ok)
            {
                kind = "error_status";
                _errorStatuses++;
            }
            else if (dataLength is 0x08 or 0x0A)
            {
                kind = "status_report";
                _statusReports++;
            }
            else
            {
                kind = "malformed_record";
                _malformedRecords++;
            }

            var other = Begin(kind, at, MercuryOpcode.ReadTagIdMultiple);
            WriteStatus(other, status);
            JsonLines.WriteHex(other, "data", frame, offset + 5, dataLength);
            _lines.End();
        }

        private void TagBuffer(byte[] frame, int offset, int length, long at)
        {
            var count = MercuryTagParser.TagBufferCount(frame, offset, length);
            var flags = MercuryTagParser.TagBufferMetadataFlags(frame, offset);
            var position = MercuryTagParser.TagBufferFirstRecord(offset);
            var end = offset + length - 2;
            for (var i = 0; i < count; i++)
            {
                position = MercuryTagParser.ParseRecord(frame, position, end, flags, _record);
                if (position < 0)
                {
                    _malformedRecords++;
                    var json = Begin("malformed_record", at, MercuryOpcode.GetTagIdBuffer);
                    WriteStatus(json, MercuryStatus.Ok);
                    json.WriteNumber("record", i);
                    JsonLines.WriteHex(json, "data", frame, offset + 5, length - 7);
                    _lines.End();
                    return;
                }

                WriteRead(at, MercuryOpcode.GetTagIdBuffer);
            }
        }

        private void WriteRead(long at, int opcode)
        {
            _tagReads++;
            var r = _record;
            var flags = r.MetadataFlags;
            var json = Begin("tag_read", at, opcode);
            WriteStatus(json, MercuryStatus.Ok);
            JsonLines.WriteHex(json, "epc", r.Epc, 0, r.EpcLength);
            json.WriteString("pc", r.Pc.ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            WriteOptional(json, "rssi", (flags & MercuryMetadata.Rssi) != 0, r.RssiDbm);
            WriteOptional(json, "antenna", (flags & MercuryMetadata.AntennaId) != 0, r.TxPort);
            WriteOptional(json, "frequency_khz", (flags & MercuryMetadata.Frequency) != 0, r.FrequencyKhz);
            WriteOptional(json, "reader_timestamp", (flags & MercuryMetadata.Timestamp) != 0, r.Timestamp);
            if ((flags & MercuryMetadata.AntennaId) != 0)
            {
                json.WriteNumber("tx_antenna", r.TxPort);
                json.WriteNumber("rx_antenna", r.RxPort);
            }

            if ((flags & MercuryMetadata.ReadCount) != 0)
            {
                json.WriteNumber("read_count", r.ReadCount);
            }

            if ((flags & MercuryMetadata.Phase) != 0)
            {
                json.WriteNumber("phase", r.Phase);
            }

            if ((flags & MercuryMetadata.Protocol) != 0)
            {
                json.WriteNumber("protocol", r.Protocol);
            }

            if ((flags & MercuryMetadata.Data) != 0)
            {
                JsonLines.WriteHex(json, "data", r.Data, 0, r.DataLength);
            }

            if ((flags & MercuryMetadata.GpioStatus) != 0)
            {
                json.WriteNumber("gpio", r.Gpio);
            }

            json.WriteString("tag_crc", r.TagCrc.ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            _lines.End();
        }

        private static void WriteOptional(Utf8JsonWriter json, string name, bool present, long value)
        {
            if (present)
            {
                json.WriteNumber(name, value);
            }
            else
            {
                json.WriteNull(name);
            }
        }

        private Utf8JsonWriter Begin(string type, long at, int opcode)
        {
            var json = _lines.Begin(type, at);
            json.WriteString("opcode", ReaderCapture.Hex2(opcode));
            return json;
        }
    }
}
