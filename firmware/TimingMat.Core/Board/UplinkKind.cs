namespace TimingMat.Core.Board
{
    /// <summary>How a mat unit reaches the MQTT broker.</summary>
    public enum UplinkKind
    {
        /// <summary>Wi-Fi station to a race-site access point.</summary>
        Wifi = 0,

        /// <summary>Wired Ethernet (e.g. WT32-ETH01 with a LAN8720 PHY).</summary>
        Ethernet = 1,

        /// <summary>No IP uplink: passings leave only over the LoRa fallback.</summary>
        LoraOnly = 2,
    }
}
