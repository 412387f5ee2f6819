using TimingMat.Core.Common;
using TimingMat.Core.Crossings;

namespace TimingMat.Core.RaceDay
{
    /// <summary>Names of the unit roles for configuration, commands and status (enums print as numbers on nanoFramework).</summary>
    public static class UnitRoleText
    {
        private static readonly string[] s_names = new string[] { "check-in", "start", "split", "turnaround", "finish" };
        private static readonly string[] s_checkIn = new string[] { "checkin" };

        /// <summary>Gets the name of a role, e.g. <c>check-in</c>.</summary>
        /// <param name="role">The role.</param>
        /// <returns>Its name, or <c>unknown</c> for a value outside the enum.</returns>
        public static string Name(UnitRole role)
        {
            return NameTable.Name(s_names, (int)role);
        }

        /// <summary>Parses a role name (case-insensitive; <c>checkin</c> is accepted).</summary>
        /// <param name="text">The name.</param>
        /// <param name="role">The role when the name is known.</param>
        /// <returns><c>true</c> when the name is known.</returns>
        public static bool TryParse(string text, out UnitRole role)
        {
            int index = NameTable.IndexOf(s_names, text);
            if (index < 0 && NameTable.IndexOf(s_checkIn, text) == 0)
            {
                index = (int)UnitRole.CheckIn;
            }

            role = index < 0 ? UnitRole.Split : (UnitRole)index;
            return index >= 0;
        }

        /// <summary>
        /// Gets the detection mode a role starts with: the first read at a check-in (presence is what counts, and
        /// runners linger in the corral), peak signal everywhere else.
        /// </summary>
        /// <param name="role">The role.</param>
        /// <returns>The mode.</returns>
        public static DetectionMode DefaultMode(UnitRole role)
        {
            return role == UnitRole.CheckIn ? DetectionMode.First : DetectionMode.Peak;
        }

        /// <summary>
        /// Gets the reaction time a role starts with: runners walk or jog over start and check-in mats, so a chip stays
        /// in the field 2–3 s and the crossing is followed for 2 s (RACE RESULT: the reaction time should match the time
        /// a chip is in range); elsewhere <see cref="CrossingSettings.DefaultReactionMicros"/>.
        /// </summary>
        /// <param name="role">The role.</param>
        /// <returns>µs.</returns>
        public static long DefaultReactionMicros(UnitRole role)
        {
            return role == UnitRole.Start || role == UnitRole.CheckIn ? 2000000 : CrossingSettings.DefaultReactionMicros;
        }

        /// <summary>
        /// Gets the chips a role's detector tracks at once: the start and finish see the densest crowds (a corral
        /// released at 25 runners a second, a bunch finishing together: PSRAM boards), every other mat far fewer.
        /// </summary>
        /// <remarks>
        /// From the detector's high-water marks (status <c>crossings</c>): in the full marathon (<c>timingmat simulate
        /// --scenario full --seed 1</c>, 35,000 runners) the busiest split, the 5 km backup, followed at most 132 chips
        /// at once; the start 211. A split keeps more than twice that, 288 chips (2.2×), where it kept 512.
        /// </remarks>
        /// <param name="role">The role.</param>
        /// <returns>Chip capacity for <see cref="CrossingSettings.SetCapacity(int, int)"/>.</returns>
        public static int DefaultChipCapacity(UnitRole role)
        {
            return role == UnitRole.Start || role == UnitRole.Finish ? 1024 : 288;
        }

        /// <summary>Gets the crossings a role's detector keeps open at once (each keeps its reads for the peak fit).</summary>
        /// <remarks>
        /// In the full marathon the busiest split had at most 45 crossings open at once (a chip is followed about three
        /// times as long as its crossing is open: its dead time), the start 117: a split keeps 96 (2.1×), where it kept
        /// 128; the start and finish 256 (2.2×), a quarter of their chips as before.
        /// </remarks>
        /// <param name="role">The role.</param>
        /// <returns>Open crossings for <see cref="CrossingSettings.SetCapacity(int, int)"/>.</returns>
        public static int DefaultOpenCrossings(UnitRole role)
        {
            return role == UnitRole.Start || role == UnitRole.Finish ? 256 : 96;
        }

        /// <summary>Tells whether a unit in a role takes gun and wave-start markers (start, and finish for one-mat courses).</summary>
        /// <param name="role">The role.</param>
        /// <returns><c>true</c> when it does.</returns>
        public static bool TakesStartMarkers(UnitRole role)
        {
            return role == UnitRole.Start || role == UnitRole.Finish;
        }
    }
}
