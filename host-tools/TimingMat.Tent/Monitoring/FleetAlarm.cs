namespace TimingMat.Tent.Monitoring;

/// <summary>
/// One alarm as the monitor shows it. It shows while its condition stands or until the crew acknowledged it, whichever is
/// later: an alarm that cleared before anyone looked still shows (cleared, not acknowledged), so a unit that was silent
/// for a minute at 3 a.m. is not missed.
/// </summary>
/// <param name="Unit">Unit id.</param>
/// <param name="Kind">The alarm's name (<see cref="AlarmKinds.Name"/>).</param>
/// <param name="Detail">What the monitor saw, e.g. <c>no status for 45 s</c>.</param>
/// <param name="Active">Whether the condition stands now.</param>
/// <param name="Acknowledged">Whether the crew acknowledged it (it is then shown, not highlighted, while it stands).</param>
/// <param name="RaisedUtc">When it was (last) raised.</param>
/// <param name="ClearedUtc">When its condition ended, or null while it stands.</param>
/// <param name="Raises">How often it was raised since it last left the screen.</param>
public sealed record FleetAlarm(int Unit, string Kind, string Detail, bool Active, bool Acknowledged, DateTime RaisedUtc, DateTime? ClearedUtc, int Raises)
{
    /// <summary>Gets a value indicating whether it is highlighted: not yet acknowledged.</summary>
    public bool Highlighted => !Acknowledged;
}
