using TimingMat.Core.Unit;

namespace TimingMat.Tent.Monitoring;

/// <summary>When the monitor raises its alarms. The defaults are what docs/monitor.md states and why.</summary>
public sealed record MonitorThresholds
{
    /// <summary>
    /// Gets how long without a status a unit is silent. Default 30 s: three of the units' 10 s status intervals, so one
    /// status lost on a poor link does not raise it, and a crew still hears of a dead unit within half a minute.
    /// </summary>
    public TimeSpan SilentAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets how long a reader module may be out of <c>reading</c> before it is down. Default 10 s: a driver's restart
    /// after a hang takes a few seconds and should not call the crew; a mat that reads nothing for 10 s at 25
    /// runners/s has missed 250 of them. The unit's own <c>reader_down</c> (30 s) raises it at once.
    /// </summary>
    public TimeSpan ReaderDownAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets the share of the journal's capacity, percent, held by passings the collector has not acknowledged, from
    /// which it is filling. Default 80: a crew has hours to restore the uplink. Acknowledged passings the journal keeps
    /// as a backup do not count: the journal gives their space up when it needs it.
    /// </summary>
    public double JournalUnacknowledgedPercent { get; init; } = 80;

    /// <summary>Gets the outage hours left below which the journal is filling. Default 1 h, as the unit's own <c>journal_filling</c>.</summary>
    public double JournalRemainingHours { get; init; } = UnitStatus.FillingAlarmHours;

    /// <summary>Gets the battery charge, percent, under which it is low. Default 20, as the unit's own <c>battery_low</c>: about an hour of a 7 h day left.</summary>
    public int BatteryLowPercent { get; init; } = UnitStatus.LowBatteryPercent;

    /// <summary>Checks the thresholds.</summary>
    /// <exception cref="ArgumentException">A threshold is out of range.</exception>
    public void Validate()
    {
        if (SilentAfter <= TimeSpan.Zero || SilentAfter > TimeSpan.FromHours(1) || ReaderDownAfter < TimeSpan.Zero || ReaderDownAfter > TimeSpan.FromHours(1))
        {
            throw new ArgumentException("the silent and reader-down times must be above 0 s and at most 1 h");
        }

        if (JournalUnacknowledgedPercent is <= 0 or > 100 || JournalRemainingHours is < 0 or > 100 || BatteryLowPercent is < 0 or > 100)
        {
            throw new ArgumentException("the journal fill must be 1-100 %, the remaining hours 0-100 and the battery 0-100 %");
        }
    }
}
