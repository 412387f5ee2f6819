namespace TimingMat.Core.Reader
{
    /// <summary>Where a <see cref="ReaderDriver"/> is in its cycle (<see cref="ReaderText.State"/> gives the text).</summary>
    public enum ReaderState
    {
        /// <summary>Not started, or stopped by the owner.</summary>
        Stopped = 0,

        /// <summary>Stop sent after start-up; waiting for a module that may still be streaming to go quiet.</summary>
        Settling = 1,

        /// <summary>Sending the configuration commands one by one and checking each answer.</summary>
        Configuring = 2,

        /// <summary>Start sent; waiting for the first sign of streaming.</summary>
        Starting = 3,

        /// <summary>Streaming reads; watching keep-alives for silence, errors and garbage.</summary>
        Reading = 4,

        /// <summary>Recovering: stop sent, waiting out the backoff before configuring again.</summary>
        Backoff = 5,
    }
}
