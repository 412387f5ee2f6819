namespace TimingMat.Core.Reader
{
    /// <summary>
    /// How one family of reader modules speaks, for a <see cref="ReaderDriver"/>: its framing, the commands that
    /// configure, start and stop it, and what each of its frames means. The driver calls it and acts on what it
    /// returns; a protocol never calls the driver, so the line, restarts, backoff, baud probing and counters have
    /// one owner.
    /// </summary>
    /// <remarks>
    /// Every encoder writes a whole frame into the driver's 64-byte transmit buffer and returns its length. The
    /// protocol keeps what it needs to classify answers (which command it encoded last), nothing else of the driver.
    /// </remarks>
    internal interface IModuleProtocol
    {
        /// <summary>Gets the driver's settings (the protocol's own options, which derive from them).</summary>
        ReaderDriverOptions Options { get; }

        /// <summary>Gets the number of configuration commands sent before the start command.</summary>
        int ConfigurationSteps { get; }

        /// <summary>
        /// Gets how long a start command may go without a frame before it is issued again (a module whose start
        /// command runs one inventory, whose end was lost), µs; <see cref="long.MaxValue"/> for a module that streams
        /// until stopped.
        /// </summary>
        long ReissueMicros { get; }

        /// <summary>Gets the status code of the last frame classified <see cref="FrameVerdict.Refused"/>,
        /// <see cref="FrameVerdict.Error"/> or <see cref="FrameVerdict.Throttled"/>.</summary>
        int Status { get; }

        /// <summary>Creates the deframer for the module's answers (called once, by the driver's constructor).</summary>
        /// <returns>A new deframer.</returns>
        FrameDeframer CreateDeframer();

        /// <summary>Encodes configuration command <paramref name="step"/> (0-based) and expects its answer next.</summary>
        /// <param name="step">Step index, below <see cref="ConfigurationSteps"/>.</param>
        /// <param name="buffer">Buffer of 64 bytes.</param>
        /// <returns>The frame length.</returns>
        int EncodeConfiguration(int step, byte[] buffer);

        /// <summary>
        /// Encodes the command that moves the module to another line speed and expects its answer next; the module
        /// answers at the old speed and then switches. A protocol that cannot (or not to that speed) returns 0.
        /// </summary>
        /// <param name="buffer">Buffer of 64 bytes.</param>
        /// <param name="baudRate">The speed wanted (<see cref="ReaderDriverOptions.LineBaudRate"/>).</param>
        /// <returns>The frame length, or 0.</returns>
        int EncodeLineSpeed(byte[] buffer, int baudRate);

        /// <summary>Encodes the command that starts streaming (or, for a module that reads in rounds, the next round).</summary>
        /// <param name="buffer">Buffer of 64 bytes.</param>
        /// <returns>The frame length.</returns>
        int EncodeStart(byte[] buffer);

        /// <summary>Encodes the command that stops streaming.</summary>
        /// <param name="buffer">Buffer of 64 bytes.</param>
        /// <returns>The frame length, or 0 when the protocol has none.</returns>
        int EncodeStop(byte[] buffer);

        /// <summary>
        /// Finds the EPC in a frame that is not checked yet, when it is a tag read (for <see cref="ReaderDriver.Thinner"/>);
        /// the bytes may be damaged, so only their positions are worked out, within the frame.
        /// </summary>
        /// <param name="frame">Buffer holding the frame.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="length">Frame length by its length byte.</param>
        /// <param name="epcOffset">Index of the EPC's first byte.</param>
        /// <param name="epcLength">EPC length in bytes.</param>
        /// <returns><c>true</c> when the frame is a tag read with its EPC where the protocol puts it.</returns>
        bool LocateEpc(byte[] frame, int offset, int length, out int epcOffset, out int epcLength);

        /// <summary>Tells what one valid frame means while the driver configures, starts or reads.</summary>
        /// <param name="frame">Buffer holding the frame (valid during the call).</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="length">Frame length.</param>
        /// <param name="state">The driver's state (<see cref="ReaderState.Configuring"/>, <see cref="ReaderState.Starting"/>
        /// or <see cref="ReaderState.Reading"/>); <see cref="FrameVerdict.Answered"/> and <see cref="FrameVerdict.Refused"/>
        /// only while configuring.</param>
        /// <param name="read">The driver's reused read, filled (all but its local time and reader index) for
        /// <see cref="FrameVerdict.Read"/>.</param>
        /// <returns>The verdict.</returns>
        FrameVerdict Classify(byte[] frame, int offset, int length, ReaderState state, TagRead read);
    }
}
