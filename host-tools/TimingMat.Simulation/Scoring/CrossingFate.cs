namespace TimingMat.Simulation.Scoring;

/// <summary>What became of one true chip crossing at one mat, for explaining a verdict.</summary>
/// <param name="TrueUtcMicros">True crossing time.</param>
/// <param name="What">delivered, read_not_delivered, or the cause it was never read (covered_tag, reader_capacity, reader_silence, power_cut).</param>
/// <param name="Reads">Reads the mat's modules reported of the chip.</param>
/// <param name="ErrorMicros">Delivered time minus true time, when delivered.</param>
internal sealed record CrossingFate(long TrueUtcMicros, string What, int Reads, long? ErrorMicros);
