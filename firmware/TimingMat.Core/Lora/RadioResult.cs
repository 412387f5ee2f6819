namespace TimingMat.Core.Lora
{
    /// <summary>What a poll of the radio found.</summary>
    public enum RadioResult
    {
        /// <summary>Nothing yet: still sending, or nothing received.</summary>
        Pending = 0,

        /// <summary>The transmission finished, or a packet was received.</summary>
        Done = 1,

        /// <summary>A packet arrived with a wrong CRC (a collision or interference); it was dropped.</summary>
        CrcError = 2,

        /// <summary>The radio did not answer as it should; it was set up again.</summary>
        Fault = 3,
    }
}
