namespace TimingMat.Core.Reader
{
    /// <summary>Receives the frames a <see cref="FrameDeframer"/> finds in a byte stream.</summary>
    public interface IFrameSink
    {
        /// <summary>Takes one complete frame whose length and checksum are valid.</summary>
        /// <param name="buffer">The deframer's buffer; valid only during the call, copy what you keep.</param>
        /// <param name="offset">Index of the frame's header byte.</param>
        /// <param name="length">Length of the whole frame, header and checksum included.</param>
        void OnFrame(byte[] buffer, int offset, int length);
    }
}
