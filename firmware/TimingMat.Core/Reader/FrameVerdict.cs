namespace TimingMat.Core.Reader
{
    /// <summary>
    /// What a module's frame means to the <see cref="ReaderDriver"/>, as an <see cref="IModuleProtocol"/> classifies
    /// it: the protocol reads the bytes, the driver alone acts on the verdict (counts, confirms streaming, restarts).
    /// </summary>
    internal enum FrameVerdict
    {
        /// <summary>A tag read, decoded into the driver's reused <see cref="TagRead"/>.</summary>
        Read = 0,

        /// <summary>The module accepted the configuration command the driver is waiting on.</summary>
        Answered = 1,

        /// <summary>The module refused the configuration command the driver is waiting on (<see cref="IModuleProtocol.Status"/>).</summary>
        Refused = 2,

        /// <summary>A valid frame that does not fit the driver's state (an answer to another command, a stray frame).</summary>
        Ignored = 3,

        /// <summary>A sign of life from the stream with nothing to count (a start acknowledgement, stream statistics).</summary>
        Alive = 4,

        /// <summary>A keep-alive: the module streams and found no tag in its last cycle; it is no longer throttled.</summary>
        KeepAlive = 5,

        /// <summary>The module reduces its read rate for temperature (<see cref="IModuleProtocol.Status"/>): surfaced, not restarted.</summary>
        Throttled = 6,

        /// <summary>An error status from the stream or the start command (<see cref="IModuleProtocol.Status"/>): the module is restarted.</summary>
        Error = 7,

        /// <summary>A streamed frame whose tag record could not be parsed: counted, and a sign of life.</summary>
        Malformed = 8,

        /// <summary>The module ended an inventory round (an R2000 round summary) and waits for the start command again.</summary>
        RoundEnded = 9,
    }
}
