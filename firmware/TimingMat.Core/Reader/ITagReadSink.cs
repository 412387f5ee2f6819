namespace TimingMat.Core.Reader
{
    /// <summary>Receives the reads a reader driver decodes (the crossing detector, a counter in test mode, a test).</summary>
    public interface ITagReadSink
    {
        /// <summary>Takes one read. The instance is reused by the driver: copy what you keep before returning.</summary>
        /// <param name="read">The read.</param>
        void OnTagRead(TagRead read);
    }
}
