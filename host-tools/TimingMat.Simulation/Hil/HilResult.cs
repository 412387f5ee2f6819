using TimingMat.Simulation.Engine;

namespace TimingMat.Simulation.Hil;

/// <summary>What a hardware-in-the-loop run showed: the report <c>simulate</c> gives, and what to say about the rig.</summary>
/// <param name="Report">The scored run, in the simulator's report format.</param>
/// <param name="Notes">Things the operator should know: faults not played, unexpected units, wiring hints.</param>
/// <param name="PpsLatenessMicros">How late each PPS write was issued after its true second (host load).</param>
public sealed record HilResult(SimulationReport Report, IReadOnlyList<string> Notes, IReadOnlyList<long> PpsLatenessMicros);
