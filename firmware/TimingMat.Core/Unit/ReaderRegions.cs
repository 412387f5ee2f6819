using TimingMat.Core.Common;
using TimingMat.Core.Crossings;
using TimingMat.Core.Reader.Mercury;
using TimingMat.Core.Reader.R2000;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// The regions a unit may transmit in (<c>reader.region</c>), with each reader protocol's code for them. A reader
    /// must use only the channels allowed where the race is, so the region is never defaulted.
    /// </summary>
    internal static class ReaderRegions
    {
        /// <summary>Value of <see cref="R2000Code"/> for a region R2000 modules do not have.</summary>
        public const int NoR2000Region = -1;

        private static readonly string[] s_names = new string[] { "na", "eu", "cn", "in", "jp", "kr", "au", "nz", "open" };

        private static readonly int[] s_mercury = new int[]
        {
            MercuryRegion.NorthAmerica, MercuryRegion.Europe, MercuryRegion.China, MercuryRegion.India, MercuryRegion.Japan,
            MercuryRegion.Korea, MercuryRegion.Australia, MercuryRegion.NewZealand, MercuryRegion.Open,
        };

        // R2000 modules know FCC (channels 7-59 are 902-928 MHz), ETSI (0-6) and China (43-53) only.
        private static readonly int[] s_r2000 = new int[] { R2000Codec.RegionFcc, R2000Codec.RegionEtsi, R2000Codec.RegionChina, -1, -1, -1, -1, -1, -1 };
        private static readonly int[] s_r2000First = new int[] { 7, 0, 43, 0, 0, 0, 0, 0, 0 };
        private static readonly int[] s_r2000Last = new int[] { 59, 6, 53, 0, 0, 0, 0, 0, 0 };

        /// <summary>The expected values, for error messages.</summary>
        public const string Expected = "na (902-928 MHz), eu (ETSI 865-868 MHz), cn, in, jp, kr, au, nz or open (lab only)";

        /// <summary>Gets the number of regions.</summary>
        public static int Count
        {
            get { return s_names.Length; }
        }

        /// <summary>Finds a region by name (case-insensitive).</summary>
        /// <param name="name">E.g. <c>eu</c>.</param>
        /// <returns>Its index, or -1.</returns>
        public static int IndexOf(string name)
        {
            return NameTable.IndexOf(s_names, name);
        }

        /// <summary>Gets a region's name.</summary>
        /// <param name="region">Its index.</param>
        /// <returns>The name.</returns>
        public static string Name(int region)
        {
            return NameTable.Name(s_names, region);
        }

        /// <summary>Gets a region's Mercury set-region code.</summary>
        /// <param name="region">Its index.</param>
        /// <returns>The code.</returns>
        public static int MercuryCode(int region)
        {
            return s_mercury[region];
        }

        /// <summary>Gets a region's 0xA0 region code.</summary>
        /// <param name="region">Its index.</param>
        /// <returns>The code, or <see cref="NoR2000Region"/>.</returns>
        public static int R2000Code(int region)
        {
            return s_r2000[region];
        }

        /// <summary>Gets the first 0xA0 frequency index of a region.</summary>
        /// <param name="region">Its index.</param>
        /// <returns>The channel index.</returns>
        public static int R2000FirstChannel(int region)
        {
            return s_r2000First[region];
        }

        /// <summary>Gets the last 0xA0 frequency index of a region.</summary>
        /// <param name="region">Its index.</param>
        /// <returns>The channel index.</returns>
        public static int R2000LastChannel(int region)
        {
            return s_r2000Last[region];
        }
    }
}
