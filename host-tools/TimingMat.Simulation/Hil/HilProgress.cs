namespace TimingMat.Simulation.Hil;

/// <summary>How a hardware-in-the-loop run is going, reported every few seconds.</summary>
/// <param name="PlayedSeconds">Seconds of the scenario played so far.</param>
/// <param name="TotalSeconds">Seconds the play lasts.</param>
/// <param name="Draining">Whether the play is over and the harness waits for the last passings.</param>
/// <param name="ReadsSent">Reads the emulated modules sent to the board.</param>
/// <param name="PassingsDelivered">The board's passings the harness collected this run.</param>
/// <param name="UnitState">The board's last status state (<c>online</c>, <c>offline</c>) or <c>no status yet</c>.</param>
/// <param name="BytesFromBoard">Bytes the board sent on its reader UARTs (its commands to the modules).</param>
public sealed record HilProgress(double PlayedSeconds, double TotalSeconds, bool Draining, long ReadsSent, int PassingsDelivered, string UnitState, long BytesFromBoard);
