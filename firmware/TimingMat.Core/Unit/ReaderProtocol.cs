namespace TimingMat.Core.Unit
{
    /// <summary>The serial protocol of a mat's reader module.</summary>
    public enum ReaderProtocol
    {
        /// <summary>ThingMagic Mercury (M6e Nano).</summary>
        Mercury = 0,

        /// <summary>Impinj R2000 / E710 "0xA0" modules.</summary>
        R2000 = 1,
    }
}
