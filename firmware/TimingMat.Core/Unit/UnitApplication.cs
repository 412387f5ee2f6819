namespace TimingMat.Core.Unit
{
    /// <summary>The one call that turns a board's configuration and hardware into the application its role runs.</summary>
    public static class UnitApplication
    {
        /// <summary>
        /// Makes the application the configuration asks for: the LoRa gateway when <c>lora.role = gateway</c>
        /// (<see cref="UnitConfig.LoraKeys"/> must be set, from <c>keys.cfg</c>), else the mat unit.
        /// </summary>
        /// <param name="config">The validated configuration, with <see cref="UnitConfig.LoraChips"/> and <see cref="UnitConfig.LoraKeys"/> read by the host.</param>
        /// <param name="settings">The mat unit's settings (<see cref="UnitConfig.ToSettings"/>, adjusted by the host); unused by a gateway.</param>
        /// <param name="hardware">What the board has.</param>
        /// <returns>The application, not started.</returns>
        /// <exception cref="System.ArgumentException">A part the role needs is missing (the message names it).</exception>
        public static IUnitApplication Create(UnitConfig config, MatUnitSettings settings, UnitHardware hardware)
        {
            if (config.IsLoraGateway)
            {
                return new LoRaGatewayUnit(config, hardware);
            }

            return new MatUnit(config, settings, hardware);
        }
    }
}
