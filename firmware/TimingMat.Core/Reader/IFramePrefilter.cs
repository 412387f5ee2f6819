namespace TimingMat.Core.Reader
{
    /// <summary>
    /// Asked by a <see cref="FrameDeframer"/>, while it is in sync, about each complete frame before its checksum is
    /// checked: a frame let go is skipped as a whole, unchecked and undelivered (a reader driver that is behind lets
    /// the reads of well-read chips go this way).
    /// </summary>
    internal interface IFramePrefilter
    {
        /// <summary>Tells whether to skip a frame without checking it.</summary>
        /// <param name="buffer">Buffer holding the frame.</param>
        /// <param name="offset">Index of its header byte.</param>
        /// <param name="length">Its length by its length byte.</param>
        /// <returns><c>true</c> to skip it.</returns>
        bool LetGo(byte[] buffer, int offset, int length);
    }
}
