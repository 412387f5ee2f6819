namespace TimingMat.Core.Hardware
{
    /// <summary>
    /// A full-duplex byte stream to a module: a UART on the board (reader, GPS), a TCP serial bridge or a
    /// byte-level emulator on desktop.
    /// </summary>
    /// <remarks>
    /// The core is driven by polling from one thread, so <see cref="Read"/> never blocks: it returns what has
    /// arrived. Implementations buffer incoming bytes between polls.
    /// </remarks>
    public interface IBytePort
    {
        /// <summary>Gets a value indicating whether the port is open.</summary>
        bool IsOpen { get; }

        /// <summary>Gets or sets the line speed in baud. Ports without a line speed (TCP) keep the value and ignore it.</summary>
        int BaudRate { get; set; }

        /// <summary>Opens the port. Opening an open port does nothing.</summary>
        /// <exception cref="System.InvalidOperationException">The port cannot be opened.</exception>
        void Open();

        /// <summary>Closes the port. Closing a closed port does nothing.</summary>
        void Close();

        /// <summary>Copies up to <paramref name="count"/> received bytes into <paramref name="buffer"/>.</summary>
        /// <param name="buffer">Destination buffer.</param>
        /// <param name="offset">First index written in <paramref name="buffer"/>.</param>
        /// <param name="count">Largest number of bytes to copy.</param>
        /// <returns>The number of bytes copied; 0 when nothing is waiting. Never blocks.</returns>
        int Read(byte[] buffer, int offset, int count);

        /// <summary>Queues bytes for transmission.</summary>
        /// <param name="buffer">Source buffer.</param>
        /// <param name="offset">First index sent from <paramref name="buffer"/>.</param>
        /// <param name="count">Number of bytes to send.</param>
        /// <exception cref="System.InvalidOperationException">The port is closed.</exception>
        void Write(byte[] buffer, int offset, int count);

        /// <summary>Drops bytes received and not yet read, e.g. after a reconfiguration or a baud-rate change.</summary>
        void DiscardInput();
    }
}
