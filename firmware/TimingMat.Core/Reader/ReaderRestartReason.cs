namespace TimingMat.Core.Reader
{
    /// <summary>Why a <see cref="ReaderDriver"/> last restarted its module (<see cref="ReaderText.Reason"/> gives the text).</summary>
    public enum ReaderRestartReason
    {
        /// <summary>No restart yet.</summary>
        None = 0,

        /// <summary>Nothing arrived from a streaming module for the silence timeout.</summary>
        Silence = 1,

        /// <summary>The module answered with an error status (a configuration command refused, or an error while streaming).</summary>
        ErrorStatus = 2,

        /// <summary>More garbage than the storm threshold arrived within the storm window.</summary>
        GarbageStorm = 3,

        /// <summary>A configuration or start command got no answer in time.</summary>
        ResponseTimeout = 4,

        /// <summary>The port failed to open, read or write.</summary>
        PortError = 5,
    }
}
