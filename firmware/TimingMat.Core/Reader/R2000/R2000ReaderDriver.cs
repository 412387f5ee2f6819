using TimingMat.Core.Hardware;

namespace TimingMat.Core.Reader.R2000
{
    /// <summary>
    /// Drives an Impinj R2000 / E710 "0xA0" module: a <see cref="ReaderDriver"/> speaking <see cref="R2000Protocol"/>
    /// (configuration, inventory commands back to back, what each frame means). Recovery as in <see cref="ReaderDriver"/>.
    /// </summary>
    internal sealed class R2000ReaderDriver : ReaderDriver
    {
        /// <summary>Initializes a new instance of the <see cref="R2000ReaderDriver"/> class.</summary>
        /// <param name="port">Port of the module.</param>
        /// <param name="clock">The unit's microsecond clock.</param>
        /// <param name="sink">Where reads go.</param>
        /// <param name="options">Settings; <c>null</c> for the defaults.</param>
        public R2000ReaderDriver(IBytePort port, IMicrosecondClock clock, ITagReadSink sink, R2000ReaderOptions options)
            : base(port, clock, sink, new R2000Protocol(options == null ? new R2000ReaderOptions() : options))
        {
        }

        /// <summary>Gets the number of inventory commands issued again because the previous one did not end in time.</summary>
        public long Reissues
        {
            get { return reissues; }
        }
    }
}
