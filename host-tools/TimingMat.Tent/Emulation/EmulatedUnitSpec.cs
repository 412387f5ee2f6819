namespace TimingMat.Tent.Emulation;

/// <summary>One unit to emulate: its id, mat name, command key and broker account.</summary>
/// <param name="Id">Unit id.</param>
/// <param name="Name">Mat name.</param>
/// <param name="CommandKey">The unit's command key (16–64 bytes).</param>
/// <param name="Username">Broker user name, or null.</param>
/// <param name="Password">Broker password, or null.</param>
public sealed record EmulatedUnitSpec(int Id, string Name, byte[] CommandKey, string? Username = null, string? Password = null);
