namespace TimingMat.Bench.Device;

/// <summary>
/// What one IL instruction and one call cost on the ESP32's nanoCLR interpreter (one RTOS task, 240 MHz), so counts
/// become a share of one core. Three points span what public data allows until a bench board measures it
/// (tests/TimingMat.Device.Tests, DeviceCostTests; firmware/TimingMat.Device/README.md says how).
/// </summary>
/// <remarks>
/// <para>Sources: a GPIO toggle loop (one ldloc, one callvirt into a native method, one branch) runs at 81 kHz on
/// ESP32_PSRAM_REV3 and 27 kHz on ESP32_REV3 (nanoframework/Home issue 1013): 12–37 µs per iteration, almost all of
/// it the call and the native driver. nf-interpreter's <c>CLR_RT_Thread::Execute_IL</c> dispatches each opcode
/// through a switch with evaluation-stack bookkeeping and type checks (tens of Xtensa instructions, more from flash
/// cache misses), and <c>CLR_RT_StackFrame::Push</c> allocates and initialises a frame per call (locals zeroed,
/// arguments copied): hundreds of cycles before the callee's first opcode.</para>
/// <para>Time = IL × µs per instruction + calls × µs per call (a call's own opcode is counted among the IL).</para>
/// </remarks>
/// <param name="Name">low, central or high.</param>
/// <param name="MicrosPerInstruction">µs per plain IL instruction.</param>
/// <param name="MicrosPerCall">µs a call adds (frame push and pop).</param>
public sealed record InterpreterCalibration(string Name, double MicrosPerInstruction, double MicrosPerCall)
{
    /// <summary>Gets the optimistic end: 0.2 µs per instruction, 1.5 µs per call.</summary>
    public static InterpreterCalibration Low { get; } = new("low", 0.2, 1.5);

    /// <summary>Gets the central estimate: 0.3 µs per instruction, 3 µs per call.</summary>
    public static InterpreterCalibration Central { get; } = new("central", 0.3, 3.0);

    /// <summary>Gets the pessimistic end: 0.5 µs per instruction, 5 µs per call.</summary>
    public static InterpreterCalibration High { get; } = new("high", 0.5, 5.0);

    /// <summary>Gets the three points, low first.</summary>
    public static IReadOnlyList<InterpreterCalibration> All { get; } = [Low, Central, High];

    /// <summary>Converts counts to interpreter time.</summary>
    /// <param name="instructions">IL instructions.</param>
    /// <param name="calls">Calls.</param>
    /// <returns>µs.</returns>
    public double Micros(double instructions, double calls) => (instructions * MicrosPerInstruction) + (calls * MicrosPerCall);
}
