using System.CommandLine;
using System.Globalization;
using TimingMat.Cli.Infrastructure;
using TimingMat.Core.Clock.Nmea;

namespace TimingMat.Cli.Commands;

/// <summary>
/// <c>timingmat decode nmea FILE</c>: runs a raw NMEA log, as recorded from a GPS receiver's UART, through the
/// firmware's own <see cref="NmeaParser"/> and prints one JSON object per accepted sentence, then a summary line with
/// the counts of accepted, ignored and rejected lines by reason — what a technician checks when a unit will not lock.
/// </summary>
internal static class DecodeNmeaCommand
{
    public static Command Create(CommandOutput output)
    {
        var file = new Argument<string>("FILE") { Description = "Raw NMEA log (bytes as received from the GPS UART)" };
        var command = new Command("nmea", "Decode a GPS NMEA log (RMC, GGA, ZDA) with the mat clock's parser: one JSON object per sentence, then a summary")
        {
            file,
        };
        command.SetAction(parse => Run(output, parse.GetValue(file)!));
        return command;
    }

    private static int Run(CommandOutput output, string path)
    {
        var parser = new NmeaParser();
        var line = 1;
        var withoutFix = 0;
        var byType = new int[4];
        long bytes = 0;

        // The last dated sentence's epoch lends its date to a GGA of the same second (GGA carries no date).
        long datedEpoch = -1;
        DateOnly date = default;
        using (var stream = InputFiles.OpenRead(path))
        {
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = Read(stream, buffer, path)) > 0)
            {
                bytes += n;
                for (var i = 0; i < n; i++)
                {
                    var result = parser.Push(buffer[i]);
                    if (result == NmeaLineResult.Accepted)
                    {
                        Print(parser.Sentence);
                    }

                    if (buffer[i] == (byte)'\n')
                    {
                        line++;
                    }
                }
            }
        }

        if (parser.Flush() == NmeaLineResult.Accepted)
        {
            Print(parser.Sentence);
        }

        var rejected = new Dictionary<string, int>();
        foreach (var reason in new[] { NmeaLineResult.Garbage, NmeaLineResult.Truncated, NmeaLineResult.OverLong, NmeaLineResult.NoChecksum, NmeaLineResult.BadChecksum, NmeaLineResult.UnknownTalker, NmeaLineResult.BadField })
        {
            rejected[NmeaText.ResultText(reason)] = parser.CountOf(reason);
        }

        output.WriteJson(new
        {
            Summary = new
            {
                parser.Lines,
                parser.Accepted,
                Rmc = byType[(int)NmeaSentenceType.Rmc],
                Gga = byType[(int)NmeaSentenceType.Gga],
                Zda = byType[(int)NmeaSentenceType.Zda],
                WithoutFix = withoutFix,
                Unsupported = parser.CountOf(NmeaLineResult.Unsupported),
                parser.Rejected,
                RejectedBy = rejected,
            },
        });

        if (bytes == 0)
        {
            throw new CliException(ExitCode.InvalidInput, $"'{path}' is empty.", "record the GPS UART for a few seconds (e.g. 9600 baud, 8N1) and decode that file.");
        }

        if (parser.Accepted + parser.CountOf(NmeaLineResult.Unsupported) == 0)
        {
            throw new CliException(
                ExitCode.InvalidInput,
                $"no valid NMEA sentence in '{path}' ({bytes} bytes, {parser.Lines} lines rejected).",
                RejectionHint(parser));
        }

        return (int)ExitCode.Ok;

        void Print(NmeaSentence s)
        {
            byType[(int)s.Type]++;
            if (s.CarriesFix && !s.HasFix)
            {
                withoutFix++;
            }

            long epoch = s.HasTime ? s.SecondOfDay : -1;
            if (s.HasDate)
            {
                date = new DateOnly(s.Year, s.Month, s.Day);
                datedEpoch = epoch;
            }

            var known = s.HasDate || (epoch >= 0 && epoch == datedEpoch);
            var json = new Dictionary<string, object?>
            {
                ["line"] = line,
                ["type"] = NmeaText.TypeText(s.Type),
                ["talker"] = NmeaText.TalkerText(s.Talker),
                ["utc"] = s.HasTime ? Utc(s, known ? date : null) : null,
                ["date"] = s.HasDate ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null,
            };
            if (s.Type == NmeaSentenceType.Rmc)
            {
                json["status"] = s.Status.ToString();
                json["mode"] = s.Mode == '\0' ? null : s.Mode.ToString();
            }
            else if (s.Type == NmeaSentenceType.Gga)
            {
                json["fix"] = s.FixQuality;
                json["sats"] = s.Satellites >= 0 ? s.Satellites : null;
            }

            output.WriteJson(json);
        }
    }

    /// <summary>Says why the lines were rejected: a wrong baud rate only when garbage or bad checksums dominate.</summary>
    private static string RejectionHint(NmeaParser parser)
    {
        var reasons = new[] { NmeaLineResult.Garbage, NmeaLineResult.BadChecksum, NmeaLineResult.OverLong, NmeaLineResult.NoChecksum, NmeaLineResult.Truncated, NmeaLineResult.UnknownTalker, NmeaLineResult.BadField };
        var top = reasons.OrderByDescending(parser.CountOf).First();
        var count = parser.CountOf(top);
        return top switch
        {
            NmeaLineResult.Garbage or NmeaLineResult.BadChecksum => "check that the file is a raw NMEA capture; garbage or bad checksums everywhere usually mean a wrong baud rate.",
            NmeaLineResult.OverLong => $"{count} lines are longer than {NmeaParser.MaxSentenceLength} characters: line ends were lost (CR LF stripped, or two sentences run together); record the UART raw, not through a terminal that rewrites line ends.",
            NmeaLineResult.NoChecksum => $"{count} sentences have no *hh checksum: switch the receiver's checksums on (the clock never trusts an unchecked sentence).",
            NmeaLineResult.Truncated => $"{count} sentences were cut short before their checksum: the capture was interrupted, or the line drops bytes (cable, buffer overrun).",
            NmeaLineResult.UnknownTalker => $"{count} sentences come from a talker that is not a GNSS (e.g. $II, $GQ): the clock reads GP, GN, GL, GA, BD and GB only.",
            _ => $"{count} sentences have fields out of range (time, date, status, fix quality): the receiver is not sending standard NMEA 0183, or its output is damaged.",
        };
    }

    private static string Utc(NmeaSentence s, DateOnly? date)
    {
        var second = s.Second.ToString("00", CultureInfo.InvariantCulture);
        var time = $"{s.Hour:00}:{s.Minute:00}:{second}" + (s.FractionDigits > 0 ? "." + (s.SubsecondMicros / 1000).ToString("000", CultureInfo.InvariantCulture) : string.Empty) + "Z";
        return date is DateOnly d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T" + time : time;
    }

    private static int Read(Stream stream, byte[] buffer, string path)
    {
        try
        {
            return stream.Read(buffer, 0, buffer.Length);
        }
        catch (IOException e)
        {
            throw new CliException(ExitCode.FileUnreadable, $"cannot read '{path}': {e.Message}");
        }
    }
}
