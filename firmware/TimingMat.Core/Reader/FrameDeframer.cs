// Over 400 lines for a reason: one scan loop whose resync, arbitration and error-counting rules share its state and
// are only right together (the fuzz tests hold them); about half the file is that contract in its docs and getters.
namespace TimingMat.Core.Reader
{
    /// <summary>
    /// Cuts a serial byte stream into frames for protocols that start each frame with one header byte followed by a
    /// length byte (Mercury <c>0xFF</c>, R2000 <c>0xA0</c>): feed it chunks split anywhere, it hands every frame whose
    /// length and checksum are valid to its <see cref="IFrameSink"/>, skips garbage, resynchronises after errors and
    /// counts each kind of error. It never throws on input bytes and allocates nothing after construction.
    /// </summary>
    /// <remarks>
    /// <para><b>Resync rule.</b> Bytes are dropped until the next header byte. A candidate frame whose checksum fails
    /// is not skipped as a whole: the search restarts at the byte after its header, because the header value also
    /// occurs inside payloads and a frame may have been cut short by lost bytes.</para>
    /// <para><b>Arbitration.</b> A checksum that passes by chance must not swallow real frames: a valid frame loses to
    /// a valid frame that starts inside it and runs past its end, and, while resynchronising or under a weak checksum
    /// (<see cref="WeakChecksum"/>), to a valid frame it contains. Inner frames are judged as while resynchronising.</para>
    /// <para><b>Error kinds.</b> The deframer is <em>in sync</em> at the start of the stream, after each valid frame
    /// and after <see cref="Flush"/>: the next byte should start a frame. Only a frame expected there is counted as an
    /// error, so noise is counted once, as <see cref="SkippedBytes"/>, not as a stream of errors:</para>
    /// <list type="bullet">
    /// <item><see cref="CrcErrors"/>: the frame at the sync point failed its checksum and the next valid frame starts
    /// at or after its end (a corrupted frame); or, after garbage, a failed frame is followed by a frame starting
    /// exactly at its end (its length was right).</item>
    /// <item><see cref="TruncatedFrames"/>: the next valid frame starts inside the failed frame (bytes were lost on the
    /// line), or the frame was still incomplete at <see cref="Flush"/>.</item>
    /// <item><see cref="MalformedFrames"/>: the length byte is impossible, or the protocol's structure check failed
    /// although the checksum is right.</item>
    /// <item><see cref="Resyncs"/>: how often sync was lost; <see cref="SkippedBytes"/>: bytes outside valid frames.</item>
    /// </list>
    /// <para>A frame's bytes are only known complete when the next bytes arrive; call <see cref="Flush"/> at the end of
    /// a capture, and from a driver when the line has been quiet for longer than a frame takes (an inter-byte
    /// timeout), so a frame swallowed by a false start is found without waiting for more traffic.</para>
    /// <para>The sink must not call <see cref="Feed"/> or <see cref="Flush"/> from <see cref="IFrameSink.OnFrame"/>; it
    /// may call <see cref="Reset"/>, which ends the current feed.</para>
    /// </remarks>
    public abstract class FrameDeframer
    {
        /// <summary>Size of the internal buffer: at least two of the largest frames (257 bytes).</summary>
        public const int BufferSize = 1024;

        /// <summary><see cref="Check"/> verdict: the frame is valid.</summary>
        protected const int Valid = 0;

        /// <summary><see cref="Check"/> verdict: the checksum does not match.</summary>
        protected const int ChecksumError = 1;

        /// <summary><see cref="Check"/> verdict: the checksum matches but the structure is impossible.</summary>
        protected const int Malformed = 2;

        /// <summary><see cref="Check"/> verdict: plausible but not convincing while resynchronising; not an error.</summary>
        protected const int Rejected = 3;

        /// <summary>
        /// <see cref="Check"/> verdict: the checksum matches but the evidence is weak (e.g. an unknown command under an
        /// 8-bit checksum); accepted only when no valid frame lies inside it or starts inside it and runs past it.
        /// </summary>
        protected const int Weak = 4;

        private const int InnerNone = 0;
        private const int InnerOverlapping = 1;
        private const int InnerContained = 2;
        private const int InnerPending = 3;

        private readonly byte[] _buffer = new byte[BufferSize];
        private readonly long[] _failedEnds = new long[8];
        private readonly byte _header;

        // The header boxed once: Array.IndexOf searches a byte array for it natively on the device.
        private readonly object _headerBox;
        private IFrameSink _sink;

        // What is asked, while in sync, whether to skip a frame unchecked; a field the driver sets at every feed.
        internal IFramePrefilter prefilter;
        private int _start;
        private int _end;
        private long _bufferBase;
        private bool _synced = true;
        private bool _pending;
        private long _pendingEnd;
        private int _generation;
        private int _failedEndCount;
        private int _failedEndNext;

        // Counters as fields the driver reads directly (a property is a call on the device), like ReaderCounters.
        internal long bytesFed;
        internal long frames;
        internal long crcErrors;
        internal long truncatedFrames;
        internal long malformedFrames;
        internal long skippedBytes;
        internal long resyncs;
        internal long frameOffset;
        private long _letGo;

        /// <summary>Initializes a new instance of the <see cref="FrameDeframer"/> class.</summary>
        /// <param name="header">The byte every frame starts with.</param>
        protected FrameDeframer(byte header)
        {
            _header = header;
            _headerBox = header;
        }

        /// <summary>Gets the number of frames skipped unchecked for the prefilter.</summary>
        public long LetGo
        {
            get { return _letGo; }
        }

        /// <summary>Gets or sets where frames go. Frames found while it is <c>null</c> are counted and dropped.</summary>
        public IFrameSink Sink
        {
            get { return _sink; }
            set { _sink = value; }
        }

        /// <summary>Gets the number of bytes fed so far.</summary>
        public long BytesFed
        {
            get { return bytesFed; }
        }

        /// <summary>Gets the number of valid frames handed to the sink.</summary>
        public long Frames
        {
            get { return frames; }
        }

        /// <summary>Gets the number of frames that failed their checksum where a frame was expected.</summary>
        public long CrcErrors
        {
            get { return crcErrors; }
        }

        /// <summary>Gets the number of frames cut short: the next frame started inside them, or the stream ended.</summary>
        public long TruncatedFrames
        {
            get { return truncatedFrames; }
        }

        /// <summary>Gets the number of frames with an impossible length or structure where a frame was expected.</summary>
        public long MalformedFrames
        {
            get { return malformedFrames; }
        }

        /// <summary>Gets the number of bytes that were not part of any valid frame.</summary>
        public long SkippedBytes
        {
            get { return skippedBytes; }
        }

        /// <summary>Gets the number of times the stream lost sync and the deframer had to hunt for the next frame.</summary>
        public long Resyncs
        {
            get { return resyncs; }
        }

        /// <summary>Gets the stream offset (bytes fed before it) of the frame being delivered to the sink.</summary>
        public long FrameOffset
        {
            get { return frameOffset; }
        }

        /// <summary>Gets the number of bytes held that do not form a complete frame yet.</summary>
        public int HeldBytes
        {
            get { return _end - _start; }
        }

        /// <summary>Feeds received bytes; frames complete in them are handed to the sink before this returns.</summary>
        /// <param name="data">Source buffer.</param>
        /// <param name="offset">Index of the first byte.</param>
        /// <param name="count">Number of bytes; any split of the stream is fine.</param>
        public void Feed(byte[] data, int offset, int count)
        {
            if (data == null || offset < 0 || count <= 0 || offset > data.Length - count)
            {
                return;
            }

            bytesFed += count;
            int generation = _generation;
            while (count > 0)
            {
                Compact();
                int n = BufferSize - _end;
                if (n > count)
                {
                    n = count;
                }

                System.Array.Copy(data, offset, _buffer, _end, n);
                _end += n;
                offset += n;
                count -= n;
                Scan(false);
                if (generation != _generation)
                {
                    return;
                }
            }
        }

        /// <summary>
        /// Declares the bytes held so far complete: at the end of a capture, or after an inter-byte timeout. An
        /// incomplete frame at the sync point counts as truncated, valid frames behind a false start are delivered,
        /// the rest is skipped, and the next byte fed is expected to start a frame.
        /// </summary>
        public void Flush()
        {
            Scan(true);
            if (_pending)
            {
                crcErrors++;
                _pending = false;
            }

            ClearFailedEnds();
            _synced = true;
        }

        /// <summary>Drops the bytes held without counting them (after a restart of the module); counters are kept.</summary>
        public void Reset()
        {
            _bufferBase += _end;
            _start = 0;
            _end = 0;
            _synced = true;
            _pending = false;
            ClearFailedEnds();
            _generation++;
        }

        /// <summary>
        /// Gets a value indicating whether the protocol's checksum is weak (8 bits), so that even where a frame is
        /// expected, a valid frame that contains another valid frame loses to it (a frame cut short passes an 8-bit
        /// checksum one time in 256 with the bytes of the next frame). Whatever the checksum, a valid frame always loses
        /// to a valid frame that starts inside it and runs past it, and while resynchronising also to one it contains.
        /// </summary>
        /// <remarks>
        /// The arbitration scans each frame for the header byte. Under a weak checksum (or while resynchronising) a
        /// frame whose last bytes could start a frame waits for the next bytes (or <see cref="Flush"/>) before it is
        /// delivered; a frame with a strong checksum in sync is judged on the bytes at hand and never held back.
        /// </remarks>
        protected virtual bool WeakChecksum
        {
            get { return false; }
        }

        /// <summary>Gets the total size of the frame whose header is at <paramref name="start"/>.</summary>
        /// <param name="buffer">Buffer; the header and the length byte after it are present.</param>
        /// <param name="start">Index of the header byte.</param>
        /// <returns>The frame size in bytes, or −1 when the length byte is impossible.</returns>
        protected abstract int FrameSize(byte[] buffer, int start);

        /// <summary>Checks a complete candidate frame.</summary>
        /// <param name="buffer">Buffer holding the whole candidate.</param>
        /// <param name="start">Index of the header byte.</param>
        /// <param name="size">Candidate size from <see cref="FrameSize"/>.</param>
        /// <param name="synced">Whether a frame is expected here; a protocol with a weak checksum may demand more
        /// evidence while resynchronising (return <see cref="Rejected"/>).</param>
        /// <returns><see cref="Valid"/>, <see cref="Weak"/>, <see cref="ChecksumError"/>, <see cref="Malformed"/> or <see cref="Rejected"/>.</returns>
        protected abstract int Check(byte[] buffer, int start, int size, bool synced);

        private void Scan(bool final)
        {
            byte[] buffer = _buffer;
            byte header = _header;
            int generation = _generation;
            while (true)
            {
                int i = _start;
                int end = _end;
                if (i < end && buffer[i] != header)
                {
                    // Garbage: the next header byte is found natively.
                    i = System.Array.IndexOf(buffer, _headerBox, i, end - i);
                    Skip((i < 0 ? end : i) - _start);
                }

                int available = end - _start;
                if (available == 0)
                {
                    return;
                }

                if (available < 2)
                {
                    if (!final)
                    {
                        return;
                    }

                    if (_synced)
                    {
                        truncatedFrames++;
                    }

                    Skip(1);
                    continue;
                }

                int size = FrameSize(buffer, _start);
                if (size < 0)
                {
                    if (_synced)
                    {
                        malformedFrames++;
                    }

                    Skip(1);
                    continue;
                }

                if (available < size)
                {
                    if (!final)
                    {
                        return;
                    }

                    if (_synced)
                    {
                        truncatedFrames++;
                    }

                    Skip(1);
                    continue;
                }

                IFramePrefilter filter = prefilter;
                if (filter != null && _synced && filter.LetGo(buffer, _start, size))
                {
                    // Expected here and let go: taken as the frame it says it is, without its check or delivery.
                    Accepted(size);
                    _letGo++;
                    continue;
                }

                int verdict = Check(buffer, _start, size, _synced);
                if (verdict == Valid || verdict == Weak)
                {
                    // A frame that another valid frame starts inside and runs past lost bytes and passed its checksum
                    // by chance, swallowing that frame's start. While hunting, on weak evidence or under a weak
                    // checksum, a frame that contains another valid frame is noise or a cut frame that passed by chance.
                    bool strict = verdict == Weak || !_synced || WeakChecksum;
                    int inner = FindInnerFrame(_start, size, final || !strict, strict);
                    if (inner == InnerPending)
                    {
                        return;
                    }

                    if (inner == InnerOverlapping || (inner == InnerContained && verdict == Valid))
                    {
                        // Counted like a failed checksum: a cut frame when the next frame starts inside it.
                        verdict = ChecksumError;
                    }
                    else if (inner == InnerContained)
                    {
                        verdict = Rejected;
                    }
                    else
                    {
                        verdict = Valid;
                    }
                }

                if (verdict == Valid)
                {
                    int frameStart = _start;
                    frameOffset = Accepted(size);
                    frames++;
                    IFrameSink sink = _sink;
                    if (sink != null)
                    {
                        sink.OnFrame(buffer, frameStart, size);
                        if (generation != _generation)
                        {
                            return;
                        }
                    }

                    continue;
                }

                long candidateAt = _bufferBase + _start;
                if (verdict == ChecksumError || verdict == Malformed)
                {
                    // Expected here: after a valid frame, or right where a failed frame's length said the next frame
                    // starts (so back-to-back corrupted frames are each counted, garbage before them or not).
                    if (_synced || (_pending && candidateAt == _pendingEnd) || ConsumeFailedEnd(candidateAt))
                    {
                        if (_pending)
                        {
                            ResolvePending(candidateAt);
                        }

                        if (verdict == ChecksumError)
                        {
                            _pending = true;
                            _pendingEnd = candidateAt + size;
                        }
                        else
                        {
                            malformedFrames++;
                        }
                    }
                    else if (verdict == ChecksumError)
                    {
                        RecordFailedEnd(candidateAt + size);
                    }
                }

                Skip(1);
            }
        }

        // Looks for a valid frame (checked as while hunting) that starts inside the candidate [start, start + size):
        // InnerOverlapping when one ends after the candidate, InnerContained when one lies within it (looked for only
        // when includeContained), InnerPending when one might overlap but its bytes have not all arrived (never when
        // decideNow: a strong frame in sync is not held back for a 1-in-65536 coincidence), else InnerNone.
        private int FindInnerFrame(int start, int size, bool decideNow, bool includeContained)
        {
            // The header byte is rare inside a frame: it is looked for natively, not a byte at a time in IL.
            byte[] buffer = _buffer;
            int end = start + size;
            int q = start + 1;
            while (q < end)
            {
                q = System.Array.IndexOf(buffer, _headerBox, q, end - q);
                if (q < 0)
                {
                    return InnerNone;
                }

                int inner = InnerVerdict(q, end, decideNow, includeContained);
                if (inner != InnerNone)
                {
                    return inner;
                }

                q++;
            }

            return InnerNone;
        }

        // Judges the candidate frame at q, a header byte inside a frame that ends at end (see FindInnerFrame).
        private int InnerVerdict(int q, int end, bool decideNow, bool includeContained)
        {
            byte[] buffer = _buffer;
            if (q + 1 >= _end)
            {
                return decideNow ? InnerNone : InnerPending;
            }

            int inner = FrameSize(buffer, q);
            if (inner < 0)
            {
                return InnerNone;
            }

            if (q + inner <= end)
            {
                return includeContained && Check(buffer, q, inner, false) == Valid ? InnerContained : InnerNone;
            }

            if (q + inner > _end)
            {
                return decideNow ? InnerNone : InnerPending;
            }

            return Check(buffer, q, inner, false) == Valid ? InnerOverlapping : InnerNone;
        }

        // Takes the frame at the start as valid: settles a pending failed frame before it, moves past it, in sync.
        // Returns its stream offset.
        private long Accepted(int size)
        {
            long at = _bufferBase + _start;
            if (_pending)
            {
                ResolvePending(at);
            }
            else if (_failedEndCount > 0)
            {
                ConsumeFailedEnd(at);
            }

            _failedEndCount = 0;
            _failedEndNext = 0;
            _start += size;
            _synced = true;
            return at;
        }

        private void ResolvePending(long nextFrameAt)
        {
            if (nextFrameAt < _pendingEnd)
            {
                truncatedFrames++;
            }
            else
            {
                crcErrors++;
            }

            _pending = false;
        }

        // While hunting, a failed candidate is only counted once a frame (valid or failed) starts exactly at its end:
        // then its length was right and it was a corrupted frame, not noise.
        private void RecordFailedEnd(long end)
        {
            _failedEnds[_failedEndNext] = end;
            _failedEndNext = (_failedEndNext + 1) % _failedEnds.Length;
            if (_failedEndCount < _failedEnds.Length)
            {
                _failedEndCount++;
            }
        }

        private void ClearFailedEnds()
        {
            _failedEndCount = 0;
            _failedEndNext = 0;
        }

        private bool ConsumeFailedEnd(long at)
        {
            for (int i = 0; i < _failedEndCount; i++)
            {
                if (_failedEnds[i] == at)
                {
                    crcErrors++;
                    ClearFailedEnds();
                    return true;
                }
            }

            return false;
        }

        private void Skip(int count)
        {
            skippedBytes += count;
            _start += count;
            if (_synced)
            {
                _synced = false;
                resyncs++;
            }
        }

        private void Compact()
        {
            if (_start == 0 && _end == BufferSize)
            {
                // Cannot happen while FrameSize stays within a frame's 257 bytes; guarantees progress if it did.
                Skip(1);
            }

            if (_start == 0)
            {
                return;
            }

            // The held bytes are fewer than one frame, so a forward copy (destination below source) is cheap and safe.
            int held = _end - _start;
            if (held > 0)
            {
                System.Array.Copy(_buffer, _start, _buffer, 0, held);
            }

            _bufferBase += _start;
            _start = 0;
            _end = held;
        }
    }
}
