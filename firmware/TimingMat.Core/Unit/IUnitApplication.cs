namespace TimingMat.Core.Unit
{
    /// <summary>
    /// What a board runs, whichever role its configuration gives it: a mat unit (<see cref="MatUnit"/>) or the tent's
    /// LoRa gateway (<see cref="LoRaGatewayUnit"/>, <c>lora.role = gateway</c>). The device's Program makes one with
    /// <see cref="UnitApplication.Create"/>, starts it, polls it every few milliseconds and supervises it once a second.
    /// </summary>
    public interface IUnitApplication
    {
        /// <summary>Starts the application.</summary>
        /// <returns><c>false</c> when a part could not start (it keeps trying in its polls).</returns>
        bool Start();

        /// <summary>Does one round of work; never blocks.</summary>
        void Poll();

        /// <summary>Looks for a stall from a watchdog thread and reboots when one is found.</summary>
        /// <returns><c>true</c> when a reboot was asked for.</returns>
        bool Supervise();

        /// <summary>Stops cleanly (retained status offline, disconnect).</summary>
        void Stop();
    }
}
