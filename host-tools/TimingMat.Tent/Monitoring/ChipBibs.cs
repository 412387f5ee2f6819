namespace TimingMat.Tent.Monitoring;

/// <summary>
/// The race's chips file for the checkpoint screens: which bib wears which chip, as registration exports it. One athlete
/// a line, <c>BIB,CHIP</c> (comma, semicolon or tab), the chip's EPC in hex; <c>#</c> starts a comment, blank lines
/// are skipped, and a first line whose chip is not hex is a header (<c>bib,chip</c>).
/// </summary>
public sealed class ChipBibs
{
    private readonly Dictionary<string, string> _bibs;

    private ChipBibs(Dictionary<string, string> bibs) => _bibs = bibs;

    /// <summary>Gets an empty file: every passing shows its chip.</summary>
    public static ChipBibs None { get; } = new(new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));

    /// <summary>Gets the number of chips mapped.</summary>
    public int Count => _bibs.Count;

    /// <summary>Reads a chips file.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="name">The file's name, for errors.</param>
    /// <returns>The map.</returns>
    /// <exception cref="FormatException">A line is not <c>BIB,CHIP</c>, or a chip is given twice; the message names the line.</exception>
    public static ChipBibs Parse(string text, string name)
    {
        var bibs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var hash = lines[i].IndexOf('#', StringComparison.Ordinal);
            var line = (hash >= 0 ? lines[i][..hash] : lines[i]).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split([',', ';', '\t'], StringSplitOptions.TrimEntries);
            var chip = fields.Length == 2 ? fields[1].Trim('"') : string.Empty;
            var bib = fields.Length == 2 ? fields[0].Trim('"') : string.Empty;
            var hex = chip.Length is >= 4 and <= 124 && chip.Length % 2 == 0 && chip.All(char.IsAsciiHexDigit);
            if (!hex && bibs.Count == 0 && fields.Length == 2 && !lines.Take(i).Any(l => l.Split('#')[0].Trim().Length > 0))
            {
                continue; // The header.
            }

            if (!hex || bib.Length is 0 or > 16)
            {
                throw new FormatException($"{name}: line {i + 1}: '{line}': expected BIB,CHIP (a bib of 1-16 characters, the chip's EPC in hex, 4-124 digits), e.g. 1234,E28011606000020500000001");
            }

            if (!bibs.TryAdd(chip, bib))
            {
                throw new FormatException($"{name}: line {i + 1}: chip {chip} is given to bib {bibs[chip]} already: one chip, one bib");
            }
        }

        return new ChipBibs(bibs);
    }

    /// <summary>Gets the bib wearing a chip.</summary>
    /// <param name="chip">The chip's EPC in hex.</param>
    /// <returns>The bib, or null when the file does not map the chip.</returns>
    public string? BibOf(string chip) => _bibs.TryGetValue(chip, out var bib) ? bib : null;
}
