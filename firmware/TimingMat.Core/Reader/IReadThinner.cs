namespace TimingMat.Core.Reader
{
    /// <summary>
    /// Tells a reader driver which reads it may let go undecoded while the unit is behind its reader (the crossing
    /// detector: reads of chips it has already read well). Checking a frame costs the interpreter more than this
    /// question, so a driver that has fallen behind asks it before the checksum and the parse.
    /// </summary>
    public interface IReadThinner
    {
        /// <summary>Tells whether a read of this EPC may be let go: its chip is already well read, and this read is one of those thinned.</summary>
        /// <param name="epc">Buffer holding the EPC (a frame not yet checked: the answer must be harmless for any bytes).</param>
        /// <param name="offset">Index of its first byte.</param>
        /// <param name="length">Its length in bytes.</param>
        /// <returns><c>true</c> to let the read go (it is counted as thinned).</returns>
        bool LetGo(byte[] epc, int offset, int length);
    }
}
