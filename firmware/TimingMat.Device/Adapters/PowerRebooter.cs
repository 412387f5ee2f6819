using nanoFramework.Runtime.Native;
using TimingMat.Core.Hardware;

namespace TimingMat.Device.Adapters
{
    /// <summary>Restarts the board through <c>Power.RebootDevice</c> (a full reset of the ESP32, not only the CLR).</summary>
    /// <remarks>
    /// A full reset brings the radio, the UARTs and the network stack back to their boot state, which is what a
    /// supervisor that found a stalled loop wants; the supervisor has recorded why before it calls this.
    /// </remarks>
    public sealed class PowerRebooter : IRebooter
    {
        /// <inheritdoc />
        public void Reboot()
        {
            Power.RebootDevice();
        }
    }
}
