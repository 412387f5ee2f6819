namespace TimingMat.Core.Common
{
    /// <summary>
    /// Maps enum values to the names configuration files, commands and status pages use, and back: enums print as
    /// numbers on nanoFramework, so each enum keeps its names in an array indexed by value.
    /// </summary>
    internal static class NameTable
    {
        /// <summary>Gets the name of a value.</summary>
        /// <param name="names">Names indexed by value.</param>
        /// <param name="value">The enum value as an integer.</param>
        /// <returns>Its name, or <c>unknown</c> for a value outside the table.</returns>
        public static string Name(string[] names, int value)
        {
            return value >= 0 && value < names.Length ? names[value] : "unknown";
        }

        /// <summary>Finds a name, ignoring case and surrounding spaces.</summary>
        /// <param name="names">Names indexed by value (lower case).</param>
        /// <param name="text">The name to find.</param>
        /// <returns>Its value, or -1 when unknown or <c>null</c>.</returns>
        public static int IndexOf(string[] names, string text)
        {
            if (text == null)
            {
                return -1;
            }

            string name = text.Trim().ToLower();
            for (int i = 0; i < names.Length; i++)
            {
                if (names[i] == name)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
