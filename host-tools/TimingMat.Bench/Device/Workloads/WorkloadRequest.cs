namespace TimingMat.Bench.Device.Workloads;

/// <summary>
/// One workload of <c>timingmat bench device</c>: a mat unit on the emulators, as the device runs it. It crosses into
/// the load context of the instrumented core as JSON, so it holds only plain values.
/// </summary>
internal sealed record WorkloadRequest
{
    /// <summary>Gets the workload's name in reports.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the reader protocol: <c>m6e</c>, <c>r2000</c>, or <c>none</c> for an idle unit without tags.</summary>
    public required string Reader { get; init; }

    /// <summary>Gets the runners crossing the mat per second (0: none).</summary>
    public double RunnersPerSecond { get; init; }

    /// <summary>Gets the reader modules on the mat, each on its own UART.</summary>
    public int Modules { get; init; } = 1;

    /// <summary>Gets the read-rate limit of each module (the crossing model's).</summary>
    public double ReaderReadsPerSecond { get; init; } = 500;

    /// <summary>Gets the antenna ports per module.</summary>
    public int Antennas { get; init; } = 4;

    /// <summary>Gets the sleep between polls, µs (the device's loop: poll, then sleep).</summary>
    public long PollMicros { get; init; } = 10_000;

    /// <summary>Gets the chip table size (board.cfg <c>crossings.chips</c>).</summary>
    public int Chips { get; init; } = 256;

    /// <summary>Gets the reader UART speed (board.cfg <c>reader.baud</c>).</summary>
    public int ReaderBaud { get; init; } = 115_200;

    /// <summary>Gets the receive buffer of each reader UART, bytes (the device opens its SerialPort with 4096).</summary>
    public int UartBufferBytes { get; init; } = 4096;

    /// <summary>Gets the simulated seconds run before counting starts (clock locked, its fit window full).</summary>
    public int WarmupSeconds { get; init; } = 300;

    /// <summary>Gets the simulated seconds counted.</summary>
    public int Seconds { get; init; } = 60;

    /// <summary>Gets the seed of the GPS, the runners and the radio.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Gets the µs one counted IL instruction takes when the poll's own duration delays the next poll (0: polls come on
    /// time whatever they cost). With it the bench runs the unit as an over-loaded board would: a long poll leaves the
    /// reader's bytes waiting in the UART.
    /// </summary>
    public double CpuMicrosPerInstruction { get; init; }

    /// <summary>Gets the µs one counted call adds, with <see cref="CpuMicrosPerInstruction"/>.</summary>
    public double CpuMicrosPerCall { get; init; }

    /// <summary>Gets the number of counted methods (the counters' length).</summary>
    public int MethodCount { get; init; }
}
