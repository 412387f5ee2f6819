namespace TimingMat.Core.Board
{
    /// <summary>The power-management chip that switches a board's rails and measures its battery (<c>pmu</c> in board.cfg).</summary>
    public enum PmuKind
    {
        /// <summary>No PMU: the board's rails are always on; a battery, if any, is read on an ADC divider.</summary>
        None = 0,

        /// <summary>X-Powers AXP192 on I2C (LilyGO T-Beam v1.0 and v1.1): LDO2 feeds the LoRa radio, LDO3 the GPS.</summary>
        Axp192 = 1,

        /// <summary>X-Powers AXP2101 on I2C (LilyGO T-Beam v1.2): ALDO2 feeds the LoRa radio, ALDO3 the GPS.</summary>
        Axp2101 = 2,
    }
}
