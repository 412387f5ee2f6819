using TimingMat.Core.Hardware;

namespace TimingMat.Core.BringUp
{
    /// <summary>
    /// Bring-up check a technician runs on a freshly wired unit: counts what arrives from the reader and the GPS,
    /// the PPS edges and their spacing, and probes the storage and the LoRa radio once at start.
    /// </summary>
    /// <remarks>
    /// Polled from the unit's loop like every core object; it never blocks and allocates only when it publishes a
    /// report (once per interval). A healthy unit shows reader bytes (keep-alives even with no tags), GPS bytes with
    /// several NMEA sentences per second, and one PPS edge per second about 1,000,000 µs apart once the GPS has a fix.
    /// </remarks>
    public sealed class WiringCheck
    {
        /// <summary>The SX127x RegVersion register address.</summary>
        public const byte RadioVersionRegister = 0x42;

        /// <summary>The value RegVersion reads on an SX1276/77/78/79.</summary>
        public const byte RadioVersionSx127x = 0x12;

        private const string ProbeFileName = "wiring.probe";

        private readonly IMicrosecondClock _clock;
        private readonly IBytePort _reader;
        private readonly IBytePort _gps;
        private readonly IPpsSource _pps;
        private readonly byte[] _buffer = new byte[256];
        private readonly long _intervalMicros;
        private readonly ProbeResult _storage;
        private readonly ProbeResult _radio;
        private long _intervalStart;
        private long _lastEdge = -1;
        private long _lastEdgeSpacing;
        private int _readerBytes;
        private int _gpsBytes;
        private int _gpsSentences;
        private int _ppsEdges;

        /// <summary>Initializes a new instance of the <see cref="WiringCheck"/> class and runs the one-off probes.</summary>
        /// <param name="clock">The unit's microsecond clock.</param>
        /// <param name="reader">Port of the reader module (opened by the caller).</param>
        /// <param name="gps">Port of the GPS module (opened by the caller).</param>
        /// <param name="pps">PPS edge source.</param>
        /// <param name="store">File store to probe, or <c>null</c> to skip the probe.</param>
        /// <param name="radio">LoRa radio to probe, or <c>null</c> when the board has none.</param>
        /// <param name="intervalMicros">Reporting interval in µs, e.g. 1,000,000.</param>
        public WiringCheck(IMicrosecondClock clock, IBytePort reader, IBytePort gps, IPpsSource pps, IFileStore store, ISpiDevice radio, long intervalMicros)
        {
            _clock = clock;
            _reader = reader;
            _gps = gps;
            _pps = pps;
            _intervalMicros = intervalMicros;
            _storage = store == null ? ProbeResult.Absent : ProbeStorage(store);
            _radio = radio == null ? ProbeResult.Absent : ProbeRadio(radio);
            _intervalStart = clock.GetMicroseconds();
        }

        /// <summary>Gets the last completed report, or <c>null</c> before the first interval ended.</summary>
        public WiringReport LastReport { get; private set; }

        /// <summary>Drains the ports and the PPS source and closes the interval when it is due.</summary>
        /// <returns><c>true</c> when a new <see cref="LastReport"/> was published by this call.</returns>
        public bool Poll()
        {
            int n;
            while ((n = _reader.Read(_buffer, 0, _buffer.Length)) > 0)
            {
                _readerBytes += n;
            }

            while ((n = _gps.Read(_buffer, 0, _buffer.Length)) > 0)
            {
                _gpsBytes += n;
                for (int i = 0; i < n; i++)
                {
                    if (_buffer[i] == (byte)'$')
                    {
                        _gpsSentences++;
                    }
                }
            }

            long edge;
            while (_pps.TryTakeEdge(out edge))
            {
                if (_lastEdge >= 0)
                {
                    _lastEdgeSpacing = edge - _lastEdge;
                }

                _lastEdge = edge;
                _ppsEdges++;
            }

            long now = _clock.GetMicroseconds();
            if (now - _intervalStart < _intervalMicros)
            {
                return false;
            }

            WiringReport report = new WiringReport();
            report.AtMicros = now;
            report.IntervalMicros = now - _intervalStart;
            report.ReaderBytes = _readerBytes;
            report.GpsBytes = _gpsBytes;
            report.GpsSentences = _gpsSentences;
            report.PpsEdges = _ppsEdges;
            report.LastPpsIntervalMicros = _lastEdgeSpacing;
            report.PpsDropped = _pps.DroppedEdges;
            report.Storage = _storage;
            report.Radio = _radio;
            LastReport = report;
            _intervalStart = now;
            _readerBytes = 0;
            _gpsBytes = 0;
            _gpsSentences = 0;
            _ppsEdges = 0;
            return true;
        }

        private static ProbeResult ProbeStorage(IFileStore store)
        {
            byte[] written = new byte[16];
            for (int i = 0; i < written.Length; i++)
            {
                written[i] = (byte)(0xA5 ^ (i * 17));
            }

            store.Delete(ProbeFileName);
            store.Append(ProbeFileName, written, 0, written.Length);
            store.Flush(ProbeFileName);
            byte[] read = new byte[written.Length];
            int n = store.Read(ProbeFileName, 0, read, 0, read.Length);
            store.Delete(ProbeFileName);
            if (n != written.Length)
            {
                return ProbeResult.Failed;
            }

            for (int i = 0; i < written.Length; i++)
            {
                if (read[i] != written[i])
                {
                    return ProbeResult.Failed;
                }
            }

            return ProbeResult.Ok;
        }

        private static ProbeResult ProbeRadio(ISpiDevice radio)
        {
            // SX127x SPI read: address with bit 7 clear, then one dummy byte clocks the register out.
            byte[] write = new byte[] { RadioVersionRegister, 0x00 };
            byte[] read = new byte[2];
            radio.TransferFullDuplex(write, read);
            return read[1] == RadioVersionSx127x ? ProbeResult.Ok : ProbeResult.Failed;
        }
    }
}
