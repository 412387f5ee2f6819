using System.Text.Json.Serialization;

namespace TimingMat.Tent.Monitoring;

/// <summary>The fleet at one moment: what the console table, <c>--json</c> and the web page show.</summary>
/// <param name="TakenUtc">When.</param>
/// <param name="Units">Every unit heard from or expected, by id.</param>
/// <param name="Alarms">Every alarm that shows (standing, or cleared and not acknowledged), oldest first.</param>
/// <param name="Version">Grows with every change the crew would see: a log or a tool writes only when it grew.</param>
public sealed record FleetSnapshot(DateTime TakenUtc, IReadOnlyList<UnitView> Units, IReadOnlyList<FleetAlarm> Alarms, long Version)
{
    /// <summary>Gets the alarms whose condition stands now.</summary>
    [JsonIgnore]
    public IEnumerable<FleetAlarm> Standing => Alarms.Where(a => a.Active);
}
