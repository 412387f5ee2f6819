namespace TimingMat.Core.Hardware
{
    /// <summary>Restarts the board: <c>Power.RebootDevice()</c> on nanoFramework; the simulator and the desktop unit restart the unit in place.</summary>
    /// <remarks>The caller records why before it reboots (the next boot's status reports it); this only restarts.</remarks>
    public interface IRebooter
    {
        /// <summary>Restarts now. On the board this does not return.</summary>
        void Reboot();
    }
}
