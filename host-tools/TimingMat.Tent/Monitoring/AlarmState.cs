namespace TimingMat.Tent.Monitoring;

/// <summary>One alarm's life on one unit: raised, cleared, acknowledged; gone once both cleared and acknowledged.</summary>
internal sealed class AlarmState(AlarmKind kind)
{
    public AlarmKind Kind { get; } = kind;

    public bool Active { get; private set; }

    public bool Acknowledged { get; private set; }

    public DateTime RaisedUtc { get; private set; }

    public DateTime? ClearedUtc { get; private set; }

    public string Detail { get; private set; } = string.Empty;

    public int Raises { get; private set; }

    /// <summary>Gets a value indicating whether it shows: it stands, or it cleared and nobody acknowledged it.</summary>
    public bool Shown => Active || (Raises > 0 && !Acknowledged);

    /// <summary>Applies the condition now; returns whether anything the crew sees changed.</summary>
    public bool Apply(bool condition, string detail, DateTime now)
    {
        if (condition)
        {
            var changed = !Active || Detail != detail;
            if (!Active)
            {
                // Raised again: it calls the crew again even if they acknowledged its last raise.
                Active = true;
                Acknowledged = false;
                RaisedUtc = now;
                ClearedUtc = null;
                Raises++;
            }

            Detail = detail;
            return changed;
        }

        if (!Active)
        {
            return false;
        }

        Active = false;
        ClearedUtc = now;
        if (Acknowledged)
        {
            Raises = 0;
        }

        return true;
    }

    /// <summary>Acknowledges it; returns whether it was waiting for that.</summary>
    public bool Acknowledge()
    {
        if (!Shown || Acknowledged)
        {
            return false;
        }

        Acknowledged = true;
        if (!Active)
        {
            Raises = 0;
        }

        return true;
    }

    public FleetAlarm View(int unit) => new(unit, Kind.Name(), Detail, Active, Acknowledged, RaisedUtc, ClearedUtc, Raises);
}
