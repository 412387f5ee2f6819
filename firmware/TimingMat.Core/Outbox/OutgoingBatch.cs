using TimingMat.Core.Common;
using TimingMat.Core.Hardware;
using TimingMat.Core.Journal;

namespace TimingMat.Core.Outbox
{
    /// <summary>
    /// The one batch on its way out: built over several polls (records read back from the journal and checked
    /// <see cref="ReadBytesPerPoll"/> bytes a poll, then its CRC the same way), published with QoS 1, and entered in
    /// the <see cref="InFlightWindow"/> to wait for the collector's answer.
    /// </summary>
    /// <remarks>
    /// A 50-passing batch in one poll is ~60k IL instructions, ~25 ms of the interpreter, while runners cross; in slices
    /// no poll pays for more than one. The outbox reads <see cref="building"/>, <see cref="flow"/> and the range fields
    /// directly (fields, not properties: a property is a call on the device).
    /// </remarks>
    internal sealed class OutgoingBatch
    {
        /// <summary>What <see cref="Send"/> returns while the batch is not finished (call it again next poll).</summary>
        internal const long Building = -2;

        /// <summary>The batch carries passings that became durable since the link came up.</summary>
        internal const int FlowLive = 0;

        /// <summary>The batch carries the backlog: passings not acknowledged when the link came up, or lost since.</summary>
        internal const int FlowResend = 1;

        /// <summary>The batch carries a range the collector asked to have replayed.</summary>
        internal const int FlowReplay = 2;

        private const int ReadBytesPerPoll = 768;
        private const int CrcBytesPerPoll = 768;

        private readonly PassingJournal _journal;
        private readonly IMqttLink _link;
        private readonly string _topic;
        private readonly InFlightWindow _window;
        private readonly byte[] _batch;
        private readonly int _maxCount;

        /// <summary>Whether a batch is being built (begun in an earlier poll).</summary>
        internal bool building;

        /// <summary>The flow of the batch being built (<see cref="FlowLive"/>, <see cref="FlowResend"/>, <see cref="FlowReplay"/>); set by the outbox before a new batch.</summary>
        internal int flow;

        /// <summary>The cursor the batch being built reads from.</summary>
        internal JournalCursor cursor;

        /// <summary>The last sequence number the batch being built may carry.</summary>
        internal long to;

        /// <summary>The local µs the batch being built was begun at.</summary>
        internal long started;

        /// <summary>The number of batches published since start.</summary>
        internal long batchesSent;

        /// <summary>The number of passings published since start.</summary>
        internal long passingsSent;

        private int _count;
        private long _first;
        private int _position;
        private int _crcAt;
        private uint _crc;

        /// <summary>Initializes a new instance of the <see cref="OutgoingBatch"/> class.</summary>
        /// <param name="journal">The open journal (its ids and acked mark go into each header).</param>
        /// <param name="link">The MQTT link.</param>
        /// <param name="topic">The passings topic.</param>
        /// <param name="window">Where published batches wait for their answer.</param>
        /// <param name="options">Batch size limits.</param>
        internal OutgoingBatch(PassingJournal journal, IMqttLink link, string topic, InFlightWindow window, OutboxOptions options)
        {
            _journal = journal;
            _link = link;
            _topic = topic;
            _window = window;
            int bytes = options.BatchMaxBytes < BatchFormat.HeaderBytes + PassingBody.MaxBytes ? BatchFormat.HeaderBytes + PassingBody.MaxBytes : options.BatchMaxBytes;
            _batch = new byte[bytes];
            _maxCount = options.BatchMaxCount;
        }

        /// <summary>
        /// Goes on with the batch of a range (begins it unless one is being built).
        /// </summary>
        /// <param name="from">The first sequence number of a new batch (ignored while one is being built).</param>
        /// <param name="source">The cursor a new batch reads from.</param>
        /// <param name="last">The last sequence number a new batch may carry.</param>
        /// <param name="replay">Whether the batch is a replay.</param>
        /// <param name="now">Local µs now.</param>
        /// <returns>The last sequence number the batch sent (the range's end when nothing was left in it to send),
        /// <see cref="Building"/> while it is not finished, or -1 when the link refused it.</returns>
        internal long Send(JournalCursor source, long from, long last, bool replay, long now)
        {
            if (!building)
            {
                if (source.NextSequence != from)
                {
                    source.Seek(from);
                }

                building = true;
                cursor = source;
                to = last;
                started = now;
                _position = BatchFormat.HeaderBytes;
                _count = 0;
                _first = 0;
                _crcAt = -1;
            }

            if (_crcAt < 0)
            {
                return ReadRecords(source, last, replay);
            }

            // The CRC over the header and the records, a slice a poll.
            int end = _position;
            int stop = _crcAt + CrcBytesPerPoll;
            if (stop < end)
            {
                _crc = Crc32.Update(_crc, _batch, _crcAt, CrcBytesPerPoll);
                _crcAt = stop;
                return Building;
            }

            building = false;
            uint crc = Crc32.Update(_crc, _batch, _crcAt, end - _crcAt);
            LittleEndian.WriteUInt32(_batch, 28, Crc32.Finish(crc));
            int count = _count;
            long first = _first;
            byte[] payload = new byte[end];
            System.Array.Copy(_batch, 0, payload, 0, end);

            if (_link.Publish(_topic, payload, 1, false) < 0)
            {
                return -1;
            }

            InFlightWindow window = _window;
            int slot = window.count++;
            window.first[slot] = first;
            window.counts[slot] = count;
            window.sentAt[slot] = now;
            window.order[slot] = window.nextOrder++;
            window.replay[slot] = replay;
            batchesSent++;
            passingsSent += count;
            return first + count - 1;
        }

        // Reads records back from the journal (each checked by its CRC) into the batch, ReadBytesPerPoll a poll; seals
        // the header when the batch is full or the range ends.
        private long ReadRecords(JournalCursor source, long last, bool replay)
        {
            int position = _position;
            int count = _count;
            long first = _first;
            int stop = position + ReadBytesPerPoll;
            int bodyLength;
            long sequence;
            bool whole = true;
            while (count < _maxCount && position + PassingBody.MaxBytes <= _batch.Length && source.NextSequence <= last)
            {
                if (position >= stop)
                {
                    whole = false;
                    break;
                }

                if (!source.TryReadBody(_batch, position, out bodyLength, out sequence))
                {
                    break;
                }

                if (sequence > last || (count > 0 && sequence != first + count))
                {
                    // Past the range, or a gap (damaged records): this batch ends before it.
                    source.Seek(sequence);
                    break;
                }

                if (count == 0)
                {
                    first = sequence;
                }

                position += bodyLength;
                count++;
            }

            _position = position;
            _count = count;
            _first = first;
            if (!whole)
            {
                return Building;
            }

            if (count == 0)
            {
                // Nothing stored in the range any more (pruned, or lost to damage): it is done.
                building = false;
                return last;
            }

            long acked = _journal.AckedSequence;
            int flags = replay || first <= acked ? BatchFormat.FlagReplay : 0;
            _crc = BatchFormat.WriteHeader(_batch, flags, _journal.UnitId, _journal.JournalId, first, acked, count, position - BatchFormat.HeaderBytes);
            _crcAt = BatchFormat.HeaderBytes;
            return Building;
        }
    }
}
