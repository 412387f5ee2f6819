namespace TimingMat.Tent.Race;

/// <summary>One unit of a race file: its id, name, command key and broker account.</summary>
/// <param name="Id">The unit id (<c>unit.id</c> on the unit).</param>
/// <param name="Name">The mat's name, or <c>unit-&lt;id&gt;</c>.</param>
/// <param name="CommandKey">The unit's command key (16–64 bytes), or <c>null</c> when the file gives none.</param>
/// <param name="Username">The unit's broker user name (default <c>unit-&lt;id&gt;</c>).</param>
/// <param name="Password">The unit's broker password, or <c>null</c>.</param>
public sealed record RaceUnit(int Id, string Name, byte[]? CommandKey, string Username, string? Password)
{
    /// <summary>Gets the name the race file gives the unit (its keys are <c>&lt;name&gt;.&lt;key&gt;</c>); by default the mat's name.</summary>
    public string FileName { get; init; } = Name;
}
