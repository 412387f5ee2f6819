namespace TimingMat.Tent.Monitoring;

/// <summary>What the tent's monitor raises an alarm for (docs/monitor.md lists the conditions and thresholds).</summary>
public enum AlarmKind
{
    /// <summary>No status from the unit for <see cref="MonitorThresholds.SilentAfter"/>, or the broker's last will says it is offline.</summary>
    UnitSilent,

    /// <summary>The unit's clock is not locked to GPS (unsynced or in holdover): its passings carry a growing error.</summary>
    ClockUnlocked,

    /// <summary>A reader module has not been reading for <see cref="MonitorThresholds.ReaderDownAfter"/>, or the unit says <c>reader_down</c>.</summary>
    ReaderDown,

    /// <summary>The journal is filling: unacknowledged passings over <see cref="MonitorThresholds.JournalUnacknowledgedPercent"/> of it, under <see cref="MonitorThresholds.JournalRemainingHours"/> of outage left, or the unit says so.</summary>
    JournalFilling,

    /// <summary>The battery is under <see cref="MonitorThresholds.BatteryLowPercent"/>, or the unit says <c>battery_low</c>.</summary>
    BatteryLow,
}

/// <summary>The alarms' names as the console, the JSON and the web page show them.</summary>
public static class AlarmKinds
{
    /// <summary>Gets an alarm's name: <c>unit-silent</c>, <c>clock-unlocked</c>, <c>reader-down</c>, <c>journal-filling</c> or <c>battery-low</c>.</summary>
    /// <param name="kind">The alarm.</param>
    /// <returns>Its name.</returns>
    public static string Name(this AlarmKind kind) => kind switch
    {
        AlarmKind.UnitSilent => "unit-silent",
        AlarmKind.ClockUnlocked => "clock-unlocked",
        AlarmKind.ReaderDown => "reader-down",
        AlarmKind.JournalFilling => "journal-filling",
        _ => "battery-low",
    };

    /// <summary>Reads an alarm's name.</summary>
    /// <param name="name">The name, as <see cref="Name"/> writes it.</param>
    /// <param name="kind">The alarm.</param>
    /// <returns><c>true</c> when the name is an alarm's.</returns>
    public static bool TryParse(string? name, out AlarmKind kind)
    {
        foreach (var candidate in Enum.GetValues<AlarmKind>())
        {
            if (string.Equals(candidate.Name(), name, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
