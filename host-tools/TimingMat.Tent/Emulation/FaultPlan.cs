using System.Globalization;

namespace TimingMat.Tent.Emulation;

/// <summary>What goes wrong on an emulated unit.</summary>
public enum EmulatedFaultKind
{
    /// <summary>The unit's PPS arrives late by a fixed amount (a wrong receiver, a long antenna cable): its clock runs that much late and cannot see it.</summary>
    ClockOffset,

    /// <summary>The sky is blocked: no fix, no PPS; the clock holds over.</summary>
    GpsLoss,

    /// <summary>The reader modules hang; the drivers restart them.</summary>
    ReaderSilence,

    /// <summary>The unit's network is cut: its session drops (the broker sends its will) and it cannot reconnect.</summary>
    UplinkCut,

    /// <summary>
    /// The unit's battery pack runs down: the voltage its supply sensing reads falls to half the charge at which the
    /// core raises <c>battery_low</c> (<see cref="TimingMat.Emulators.Power.EmulatedBattery.RunDownMillivolts"/>); when
    /// the fault ends, a charged pack is back (swapped).
    /// </summary>
    BatteryLow,

    /// <summary>
    /// The unit's journal is provisioned too small for its mat: it holds a quarter of the core's alarm level
    /// (<see cref="TimingMat.Core.Unit.UnitStatus.FillingAlarmHours"/>) of outage at the emulation's runner rate, so the
    /// unit's own status reports under that many hours left and <c>journal_filling</c>. A size, so it lasts the whole run.
    /// </summary>
    JournalFilling,
}

/// <summary>One fault on cue.</summary>
/// <param name="Kind">What goes wrong.</param>
/// <param name="Unit">The unit it hits.</param>
/// <param name="AmountMicros">For <see cref="EmulatedFaultKind.ClockOffset"/>: how late the PPS arrives, µs.</param>
/// <param name="AtMicros">When it starts, µs after the emulation started (the fleet was made; the units go live a few seconds later), or 0: from the unit's boot.</param>
/// <param name="DurationMicros">How long it lasts, µs (<see cref="long.MaxValue"/>: until the end).</param>
public sealed record EmulatedFault(EmulatedFaultKind Kind, int Unit, long AmountMicros, long AtMicros, long DurationMicros)
{
    /// <summary>Tells whether the fault is on at a time.</summary>
    /// <param name="sinceLiveMicros">µs since the emulation started (negative during the warm-up before it).</param>
    /// <returns><c>true</c> while it lasts.</returns>
    public bool Covers(long sinceLiveMicros) =>
        (AtMicros == 0 || sinceLiveMicros >= AtMicros) && (DurationMicros == long.MaxValue || sinceLiveMicros < AtMicros + DurationMicros);
}

/// <summary>
/// The faults of an emulation (<c>timingmat emulate --faults</c>): entries separated by <c>;</c> or new lines, each
/// <c>KIND UNIT [AMOUNT] [at TIME] [for TIME|ever]</c>, where KIND is <c>clock-offset</c> (with an AMOUNT such as
/// <c>5ms</c>), <c>gps-loss</c>, <c>reader-silence</c>, <c>uplink-cut</c>, <c>battery-low</c> or <c>journal-filling</c>
/// (a journal too small for the mat: from boot to the end, no <c>at</c> or <c>for</c>); times count from the start of the emulation (the units go live a few seconds later)
/// (<c>at 0</c>, the default, means from boot); <c>#</c> starts a comment. Times take <c>us</c>, <c>ms</c>, <c>s</c>
/// (the default), <c>m</c> or <c>h</c>.
/// </summary>
/// <example><c>clock-offset 3 5ms; gps-loss 2 at 60s for 2m; reader-silence 1 at 30s for 20s; uplink-cut 4 at 90s for 1m; battery-low 5 at 2m for 1m; journal-filling 6</c></example>
public sealed class FaultPlan
{
    private static readonly Dictionary<string, EmulatedFaultKind> s_kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["clock-offset"] = EmulatedFaultKind.ClockOffset,
        ["gps-loss"] = EmulatedFaultKind.GpsLoss,
        ["reader-silence"] = EmulatedFaultKind.ReaderSilence,
        ["uplink-cut"] = EmulatedFaultKind.UplinkCut,
        ["battery-low"] = EmulatedFaultKind.BatteryLow,
        ["journal-filling"] = EmulatedFaultKind.JournalFilling,
    };

    private FaultPlan(IReadOnlyList<EmulatedFault> faults) => Faults = faults;

    /// <summary>Gets an empty plan.</summary>
    public static FaultPlan None { get; } = new([]);

    /// <summary>Gets the faults.</summary>
    public IReadOnlyList<EmulatedFault> Faults { get; }

    /// <summary>Reads a plan.</summary>
    /// <param name="text">The entries.</param>
    /// <param name="units">The unit ids emulated (a fault must name one).</param>
    /// <returns>The plan.</returns>
    /// <exception cref="FormatException">An entry is not understood; the message quotes it and says what was expected.</exception>
    public static FaultPlan Parse(string text, IReadOnlyCollection<int> units)
    {
        var faults = new List<EmulatedFault>();
        foreach (var raw in text.Split(['\n', ';']))
        {
            var hash = raw.IndexOf('#', StringComparison.Ordinal);
            var entry = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (entry.Length == 0)
            {
                continue;
            }

            faults.Add(ParseEntry(entry, units));
        }

        return new FaultPlan(faults);
    }

    /// <summary>Reads a time such as <c>5ms</c>, <c>30s</c>, <c>2m</c> or <c>90</c> (seconds).</summary>
    /// <param name="text">The time.</param>
    /// <param name="micros">The time in µs.</param>
    /// <returns><c>true</c> when it is one.</returns>
    public static bool TryParseTime(string text, out long micros)
    {
        micros = 0;
        var units = new (string Suffix, double Micros)[] { ("us", 1), ("ms", 1e3), ("s", 1e6), ("m", 60e6), ("h", 3600e6) };
        var (number, scale) = (text, 1e6);
        foreach (var (suffix, value) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) && !(suffix == "s" && (text.EndsWith("us", StringComparison.OrdinalIgnoreCase) || text.EndsWith("ms", StringComparison.OrdinalIgnoreCase))))
            {
                (number, scale) = (text[..^suffix.Length], value);
                break;
            }
        }

        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount < 0 || amount * scale > 1e15)
        {
            return false;
        }

        micros = (long)Math.Round(amount * scale);
        return true;
    }

    /// <summary>Gets the faults on one unit.</summary>
    /// <param name="unit">Unit id.</param>
    /// <returns>Its faults.</returns>
    public IReadOnlyList<EmulatedFault> For(int unit) => [.. Faults.Where(f => f.Unit == unit)];

    private static EmulatedFault ParseEntry(string entry, IReadOnlyCollection<int> units)
    {
        var words = entry.Split(' ', '\t', StringSplitOptions.RemoveEmptyEntries);
        string Expected() => $"fault '{entry}': expected KIND UNIT [AMOUNT] [at TIME] [for TIME|ever], KIND one of {string.Join(", ", s_kinds.Keys)}, e.g. 'clock-offset 3 5ms' or 'gps-loss 2 at 60s for 2m'";
        if (words.Length < 2 || !s_kinds.TryGetValue(words[0], out var kind))
        {
            throw new FormatException(Expected());
        }

        if (!int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var unit) || !units.Contains(unit))
        {
            throw new FormatException($"fault '{entry}': unit '{words[1]}' is not emulated (units: {string.Join(", ", units)})");
        }

        var next = 2;
        long amount = 0;
        if (kind == EmulatedFaultKind.ClockOffset)
        {
            if (words.Length <= next || !TryParseTime(words[next], out amount) || amount == 0 || amount >= 500_000)
            {
                throw new FormatException($"fault '{entry}': clock-offset needs how late the PPS arrives, above 0 and under 500 ms, e.g. 'clock-offset {unit} 5ms'");
            }

            next++;
        }

        long at = 0;
        var duration = long.MaxValue;
        while (next < words.Length)
        {
            var word = words[next].ToLowerInvariant();
            if (next + 1 >= words.Length || (word != "at" && word != "for"))
            {
                throw new FormatException(Expected());
            }

            var value = words[next + 1];
            if (word == "for" && value.Equals("ever", StringComparison.OrdinalIgnoreCase))
            {
                duration = long.MaxValue;
            }
            else if (!TryParseTime(value, out var micros) || (word == "for" && micros == 0))
            {
                throw new FormatException($"fault '{entry}': '{value}' is not a time such as 500ms, 30s, 2m or 1h");
            }
            else if (word == "at")
            {
                at = micros;
            }
            else
            {
                duration = micros;
            }

            next += 2;
        }

        if (kind == EmulatedFaultKind.JournalFilling && (at != 0 || duration != long.MaxValue))
        {
            throw new FormatException($"fault '{entry}': journal-filling is the size of the unit's journal, set at boot for the whole run; give it without 'at' or 'for', e.g. 'journal-filling {unit}'");
        }

        return new EmulatedFault(kind, unit, amount, at, duration);
    }
}
