using TimingMat.Core.Hardware;

namespace TimingMat.Core.Reader.Mercury
{
    /// <summary>
    /// Drives a ThingMagic M6e Nano (Mercury protocol) in continuous reading: a <see cref="ReaderDriver"/> speaking
    /// <see cref="MercuryProtocol"/> (configuration, start, what each frame means). Temperature throttles are surfaced
    /// as <see cref="ReaderDriver.IsThrottled"/>; recovery as in <see cref="ReaderDriver"/>.
    /// </summary>
    internal sealed class MercuryReaderDriver : ReaderDriver
    {
        /// <summary>Initializes a new instance of the <see cref="MercuryReaderDriver"/> class.</summary>
        /// <param name="port">Port of the module.</param>
        /// <param name="clock">The unit's microsecond clock.</param>
        /// <param name="sink">Where reads go.</param>
        /// <param name="options">Settings; <c>null</c> for the defaults.</param>
        public MercuryReaderDriver(IBytePort port, IMicrosecondClock clock, ITagReadSink sink, MercuryReaderOptions options)
            : base(port, clock, sink, new MercuryProtocol(options == null ? new MercuryReaderOptions() : options))
        {
        }
    }
}
