using TimingMat.Core.Crossings;
using TimingMat.Core.Reader;

namespace TimingMat.Core.RaceDay
{
    /// <summary>
    /// What a technician sees during set-up and walk tests: reads counted per reader and antenna (a dead antenna shows
    /// as a zero), the last read, the strongest signal, and how many reads came from test tags.
    /// </summary>
    public sealed class ReadMonitor : ITagReadSink
    {
        /// <summary>Readers per unit the counts tell apart: every reader module a unit can drive.</summary>
        public const int MaxReaders = 8;

        /// <summary>Antenna ports per reader the counts tell apart.</summary>
        public const int MaxAntennas = MatAntenna.PortsPerReader;

        private readonly long[] _perAntenna = new long[MaxReaders * MaxAntennas];
        private readonly TestTagList _testTags;

        /// <summary>Initializes a new instance of the <see cref="ReadMonitor"/> class.</summary>
        /// <param name="testTags">The test-tag prefixes, to count test-tag reads.</param>
        public ReadMonitor(TestTagList testTags)
        {
            _testTags = testTags;
            LastRead = new TagRead();
            Reset();
        }

        /// <summary>Gets the number of reads since the last reset.</summary>
        public long Reads { get; private set; }

        /// <summary>Gets the number of reads of test tags since the last reset.</summary>
        public long TestTagReads { get; private set; }

        /// <summary>Gets the strongest RSSI since the last reset, in centi-dBm (<see cref="int.MinValue"/> before any read).</summary>
        public int StrongestRssiCentiDbm { get; private set; }

        /// <summary>Gets a copy of the last read (EPC length 0 before any read).</summary>
        public TagRead LastRead { get; private set; }

        /// <summary>Gets the reads counted for one antenna since the last reset.</summary>
        /// <param name="readerIndex">Reader, 0-based.</param>
        /// <param name="antenna">Antenna port, 1-based.</param>
        /// <returns>The count; 0 for ports outside the counted range.</returns>
        public long ReadsOn(int readerIndex, int antenna)
        {
            int index = Index(readerIndex, antenna);
            return index < 0 ? 0 : _perAntenna[index];
        }

        /// <summary>Counts one read.</summary>
        /// <param name="read">The read.</param>
        public void OnTagRead(TagRead read)
        {
            Reads++;
            int index = Index(read.ReaderIndex, read.Antenna);
            if (index >= 0)
            {
                _perAntenna[index]++;
            }

            if (read.RssiCentiDbm > StrongestRssiCentiDbm)
            {
                StrongestRssiCentiDbm = read.RssiCentiDbm;
            }

            if (_testTags.Matches(read.Epc, read.EpcLength))
            {
                TestTagReads++;
            }

            LastRead.CopyFrom(read);
        }

        /// <summary>Sets every count back to zero (the technician starts a new walk test).</summary>
        public void Reset()
        {
            Reads = 0;
            TestTagReads = 0;
            StrongestRssiCentiDbm = int.MinValue;
            LastRead.EpcLength = 0;
            for (int i = 0; i < _perAntenna.Length; i++)
            {
                _perAntenna[i] = 0;
            }
        }

        private static int Index(int readerIndex, int antenna)
        {
            if (readerIndex < 0 || readerIndex >= MaxReaders || antenna < 1 || antenna > MaxAntennas)
            {
                return -1;
            }

            return (readerIndex * MaxAntennas) + antenna - 1;
        }
    }
}
