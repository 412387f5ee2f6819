namespace TimingMat.Core.Reader
{
    /// <summary>Text of the reader enums for logs and status reports (enums print as numbers on nanoFramework).</summary>
    public static class ReaderText
    {
        /// <summary>Gets the snake_case name of a driver state.</summary>
        /// <param name="state">The state.</param>
        /// <returns>The name.</returns>
        public static string State(ReaderState state)
        {
            switch (state)
            {
                case ReaderState.Stopped: return "stopped";
                case ReaderState.Settling: return "settling";
                case ReaderState.Configuring: return "configuring";
                case ReaderState.Starting: return "starting";
                case ReaderState.Reading: return "reading";
                case ReaderState.Backoff: return "backoff";
                default: return "unknown";
            }
        }

        /// <summary>Gets the snake_case name of a restart reason.</summary>
        /// <param name="reason">The reason.</param>
        /// <returns>The name.</returns>
        public static string Reason(ReaderRestartReason reason)
        {
            switch (reason)
            {
                case ReaderRestartReason.None: return "none";
                case ReaderRestartReason.Silence: return "silence";
                case ReaderRestartReason.ErrorStatus: return "error_status";
                case ReaderRestartReason.GarbageStorm: return "garbage_storm";
                case ReaderRestartReason.ResponseTimeout: return "response_timeout";
                case ReaderRestartReason.PortError: return "port_error";
                default: return "unknown";
            }
        }
    }
}
