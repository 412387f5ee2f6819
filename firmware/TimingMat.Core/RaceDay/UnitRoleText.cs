using TimingMat.Core.Crossings;

namespace TimingMat.Core.RaceDay
{
    /// <summary>Names of the unit roles for configuration, commands and status (enums print as numbers on nanoFramework).</summary>
    public static class UnitRoleText
    {
        private static readonly string[] s_names = new string[] { "check-in", "start", "split", "turnaround", "finish" };

        /// <summary>Gets the name of a role, e.g. <c>check-in</c>.</summary>
        /// <param name="role">The role.</param>
        /// <returns>Its name, or <c>unknown</c> for a value outside the enum.</returns>
        public static string Name(UnitRole role)
        {
            int index = (int)role;
            return index >= 0 && index < s_names.Length ? s_names[index] : "unknown";
        }

        /// <summary>Parses a role name (case-insensitive; <c>checkin</c> is accepted).</summary>
        /// <param name="text">The name.</param>
        /// <param name="role">The role when the name is known.</param>
        /// <returns><c>true</c> when the name is known.</returns>
        public static bool TryParse(string text, out UnitRole role)
        {
            role = UnitRole.Split;
            if (text == null)
            {
                return false;
            }

            string name = text.Trim().ToLower();
            if (name == "checkin")
            {
                name = "check-in";
            }

            for (int i = 0; i < s_names.Length; i++)
            {
                if (s_names[i] == name)
                {
                    role = (UnitRole)i;
                    return true;
                }
            }

            return false;
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

        /// <summary>Tells whether a unit in a role takes gun and wave-start markers (start, and finish for one-mat courses).</summary>
        /// <param name="role">The role.</param>
        /// <returns><c>true</c> when it does.</returns>
        public static bool TakesStartMarkers(UnitRole role)
        {
            return role == UnitRole.Start || role == UnitRole.Finish;
        }
    }
}
