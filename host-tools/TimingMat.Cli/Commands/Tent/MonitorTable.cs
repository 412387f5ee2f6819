using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using TimingMat.Tent.Monitoring;

namespace TimingMat.Cli.Commands.Tent;

/// <summary>
/// The monitor's console picture: one row per unit (fits 100 columns), then the alarms that show, the selected one marked
/// for acknowledging. Red: an alarm standing and not acknowledged; yellow: cleared and not acknowledged, or standing and
/// acknowledged; plain: nothing to see.
/// </summary>
internal static class MonitorTable
{
    private static readonly string[] Columns = ["unit", "mat", "seen", "batt", "gps", "clock", "off ms", "readers", "reads/s", "backlog", "journal", "mode"];

    public static IRenderable Render(FleetSnapshot snapshot, int selected, bool interactive)
    {
        var table = new Table().Border(TableBorder.Simple);
        foreach (var column in Columns)
        {
            table.AddColumn(new TableColumn(column) { Padding = new Padding(0, 0, 1, 0), NoWrap = true });
        }

        foreach (var unit in snapshot.Units)
        {
            var style = unit.Alarms.Any(a => a.Active && !a.Acknowledged) ? "red" : unit.Alarms.Count > 0 ? "yellow" : null;
            table.AddRow([.. Cells(unit).Select(c => new Markup(style == null ? Markup.Escape(c) : $"[{style}]{Markup.Escape(c)}[/]"))]);
        }

        var lines = new List<IRenderable> { table };
        if (snapshot.Alarms.Count == 0)
        {
            lines.Add(new Markup("[green]No alarms.[/]"));
        }

        for (var i = 0; i < snapshot.Alarms.Count; i++)
        {
            var a = snapshot.Alarms[i];
            var style = a.Acknowledged ? "dim" : a.Active ? "bold red" : "yellow";
            lines.Add(new Markup($"[{style}]{(interactive && i == selected ? ">" : " ")} {Markup.Escape(Line(a))}[/]"));
        }

        if (interactive)
        {
            lines.Add(new Markup("[dim]Up/Down select an alarm, Enter acknowledges it, A acknowledges all, Q quits.[/]"));
        }

        return new Rows(lines);
    }

    /// <summary>An alarm as one line: unit, name, what was seen, since when, and where it stands.</summary>
    public static string Line(FleetAlarm a) => string.Create(
        CultureInfo.InvariantCulture,
        $"unit {a.Unit} {a.Kind}: {a.Detail}; raised {a.RaisedUtc.ToLocalTime():HH:mm:ss}{(a.ClearedUtc is { } c ? $", cleared {c.ToLocalTime():HH:mm:ss}" : string.Empty)}{(a.Raises > 1 ? $", {a.Raises} times" : string.Empty)} [{(a.Active ? "STANDING" : "cleared")}{(a.Acknowledged ? ", acknowledged" : ", NOT ACKNOWLEDGED")}]");

    private static IEnumerable<string> Cells(UnitView u)
    {
        static string N(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";
        yield return u.Unit.ToString(CultureInfo.InvariantCulture);
        yield return u.Mat is { Length: > 10 } m ? m[..10] : u.Mat ?? "-";
        yield return u.Offline ? "OFFLINE" : u.SecondsSinceSeen is { } s ? N(s, "0") + " s" : "never";
        yield return u.BatteryPercent is { } b ? b.ToString(CultureInfo.InvariantCulture) + "%" : "-";
        yield return u.Fix == null ? "-" : u.Fix.Value ? (u.Satellites is { } sats ? sats.ToString(CultureInfo.InvariantCulture) + " sat" : "fix") : "NO FIX";
        yield return u.ClockState ?? "-";
        yield return N(u.ClockOffsetMs, "0.000");
        yield return u.Readers == 0 ? "-" : $"{u.ReadersReading}/{u.Readers}";
        yield return N(u.ReadsPerSecond, "0");
        yield return u.Backlog.ToString(CultureInfo.InvariantCulture);
        yield return u.JournalFillPercent is { } j ? N(j, "0.#") + "%" : "-";
        yield return u.Mode ?? "-";
    }
}
