namespace TimingMat.Core.Hardware
{
    /// <summary>
    /// Rising edges of the GPS pulse-per-second line, stamped with the local microsecond clock.
    /// </summary>
    /// <remarks>
    /// On nanoFramework the stamp is taken in the managed <c>GpioPin.ValueChanged</c> handler, which runs late by a
    /// one-sided, variable delay (0.1–25 ms). The mat clock filters that latency; this interface only delivers
    /// the raw stamps, oldest first.
    /// </remarks>
    public interface IPpsSource
    {
        /// <summary>Gets the number of edges lost because the capture buffer was full since the source started.</summary>
        int DroppedEdges { get; }

        /// <summary>Takes the oldest captured edge.</summary>
        /// <param name="localMicros">Local µs (same timebase as <see cref="IMicrosecondClock"/>) when the edge was handled.</param>
        /// <returns><c>true</c> when an edge was taken; <c>false</c> when none is waiting.</returns>
        bool TryTakeEdge(out long localMicros);
    }
}
