using TimingMat.Core.Common;
using TimingMat.Core.Crossings;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// The one spelling of each reader type, for the unit configuration, scenario files, commands and status: <c>m6e</c>
    /// (ThingMagic M6e Nano, Mercury protocol) and <c>r2000</c> (R2000/E710 modules, "0xA0" protocol). <c>mercury</c>, which
    /// older unit files use, is read as <c>m6e</c>.
    /// </summary>
    public static class ReaderTypeText
    {
        private static readonly string[] s_names = new string[] { "m6e", "r2000" };
        private static readonly string[] s_mercury = new string[] { "mercury" };

        /// <summary>Gets the expected values, for error messages.</summary>
        public const string Expected = "m6e (ThingMagic M6e Nano, Mercury protocol) or r2000 (R2000/E710 \"0xA0\" modules)";

        /// <summary>Gets the name of a reader type.</summary>
        /// <param name="protocol">The type.</param>
        /// <returns><c>m6e</c> or <c>r2000</c>, or <c>unknown</c>.</returns>
        public static string Name(ReaderProtocol protocol)
        {
            return NameTable.Name(s_names, (int)protocol);
        }

        /// <summary>Parses a reader type (case-insensitive; <c>mercury</c> is read as <c>m6e</c>).</summary>
        /// <param name="text">The name.</param>
        /// <param name="protocol">The type when the name is known.</param>
        /// <returns><c>true</c> when the name is known.</returns>
        public static bool TryParse(string text, out ReaderProtocol protocol)
        {
            int index = NameTable.IndexOf(s_names, text);
            if (index < 0 && NameTable.IndexOf(s_mercury, text) == 0)
            {
                index = (int)ReaderProtocol.Mercury;
            }

            protocol = index < 0 ? ReaderProtocol.Mercury : (ReaderProtocol)index;
            return index >= 0;
        }
    }
}
