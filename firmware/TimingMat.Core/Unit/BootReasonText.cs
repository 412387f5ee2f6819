using TimingMat.Core.Common;
using TimingMat.Core.Crossings;

namespace TimingMat.Core.Unit
{
    /// <summary>Names of the boot reasons for the status (enums print as numbers on nanoFramework).</summary>
    public static class BootReasonText
    {
        private static readonly string[] s_names = new string[]
        {
            "first-boot", "power-on", "power-fail", "reset", "reboot-command",
            "stall:reader", "stall:clock", "stall:crossings", "stall:journal", "stall:uplink", "stall:lora", "stall:loop",
        };

        /// <summary>Gets the name of a boot reason, e.g. <c>stall:uplink</c>.</summary>
        /// <param name="reason">The reason.</param>
        /// <returns>Its name, or <c>unknown</c>.</returns>
        public static string Name(BootReason reason)
        {
            return NameTable.Name(s_names, (int)reason);
        }

        /// <summary>Tells whether a reason counts as a crash: the unit ended without choosing to (a reset or a supervisor reboot).</summary>
        /// <param name="reason">The reason.</param>
        /// <returns><c>true</c> for <see cref="BootReason.Reset"/> and every stall.</returns>
        public static bool IsCrash(BootReason reason)
        {
            return reason == BootReason.Reset || (int)reason >= (int)BootReason.StallReader;
        }
    }
}
