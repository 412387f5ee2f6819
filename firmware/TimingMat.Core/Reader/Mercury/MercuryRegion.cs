namespace TimingMat.Core.Reader.Mercury
{
    /// <summary>Region codes of the Mercury set-region command (SparkFun <c>SparkFun_UHF_RFID_Reader.h</c>).</summary>
    public static class MercuryRegion
    {
        /// <summary>India.</summary>
        public const int India = 0x04;

        /// <summary>Japan.</summary>
        public const int Japan = 0x05;

        /// <summary>China (PRC).</summary>
        public const int China = 0x06;

        /// <summary>Europe (EU3).</summary>
        public const int Europe = 0x08;

        /// <summary>Korea (KR2).</summary>
        public const int Korea = 0x09;

        /// <summary>Australia.</summary>
        public const int Australia = 0x0B;

        /// <summary>New Zealand.</summary>
        public const int NewZealand = 0x0C;

        /// <summary>North America (NAS2), the M6e Nano's North American region.</summary>
        public const int NorthAmerica = 0x0D;

        /// <summary>Open (no regulatory limits; lab use).</summary>
        public const int Open = 0xFF;

        /// <summary>Tells whether a code is one of the regions above.</summary>
        /// <param name="region">Region code.</param>
        /// <returns><c>true</c> for a known region.</returns>
        public static bool IsKnown(int region)
        {
            switch (region)
            {
                case India:
                case Japan:
                case China:
                case Europe:
                case Korea:
                case Australia:
                case NewZealand:
                case NorthAmerica:
                case Open:
                    return true;
                default:
                    return false;
            }
        }
    }
}
