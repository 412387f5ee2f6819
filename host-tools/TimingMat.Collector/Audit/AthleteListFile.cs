using System.Globalization;
using TimingMat.Collector.Courses;

namespace TimingMat.Collector.Audit;

/// <summary>
/// The race's registration as the audit takes it: <c>bib,chip</c> per line (a header row <c>bib,chip</c> may lead,
/// <c>#</c> starts a comment, blank lines are ignored); a bib with two chips (a shoe and a bib tag) takes two lines.
/// Any registration export with those two columns first works.
/// </summary>
public static class AthleteListFile
{
    /// <summary>Parses the file's text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="source">File name, for messages.</param>
    /// <returns>The athletes in bib order, their chips as upper-case hex.</returns>
    /// <exception cref="CourseException">A line is wrong (not a bib and a hex EPC, or a chip registered to two bibs); the message names it.</exception>
    public static List<AuditAthlete> Parse(string text, string source)
    {
        var chips = new SortedDictionary<int, List<string>>();
        var bibOfChip = new Dictionary<string, (int Bib, int Line)>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Split('#')[0].Trim();
            if (line.Length == 0 || (i == 0 && line.Replace(" ", string.Empty, StringComparison.Ordinal).StartsWith("bib,chip", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var fields = line.Split([',', ';', '\t']);
            var chip = fields.Length > 1 ? fields[1].Trim().ToUpperInvariant() : string.Empty;
            if (!int.TryParse(fields[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var bib) || bib < 1 || chip.Length is < 2 or > 124 || chip.Length % 2 != 0 || !chip.All(char.IsAsciiHexDigit))
            {
                throw new CourseException(source, i + 1, $"'{line}': expected a bib (1 or more) and the chip's EPC in hex, e.g. 1024,E28011700000020D1A2B3C4D");
            }

            if (bibOfChip.TryGetValue(chip, out var first))
            {
                if (first.Bib == bib)
                {
                    continue; // the same registration twice: harmless
                }

                throw new CourseException(source, i + 1, $"chip {chip} is registered to bib {bib} here and to bib {first.Bib} on line {first.Line}; a chip belongs to one athlete");
            }

            bibOfChip[chip] = (bib, i + 1);
            if (!chips.TryGetValue(bib, out var list))
            {
                chips[bib] = list = [];
            }

            list.Add(chip);
        }

        return [.. chips.Select(kv => new AuditAthlete(kv.Key, kv.Value))];
    }
}
