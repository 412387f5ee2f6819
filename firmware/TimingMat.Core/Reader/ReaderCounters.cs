namespace TimingMat.Core.Reader
{
    /// <summary>
    /// Running totals of a <see cref="ReaderDriver"/> since it was created, for the unit's status report and for tests.
    /// The driver updates one instance in place; <see cref="CopyFrom"/> takes a snapshot without allocating.
    /// </summary>
    public sealed class ReaderCounters
    {
        /// <summary>Gets the bytes received from the module.</summary>
        public long BytesReceived { get; internal set; }

        /// <summary>Gets the valid frames received (any kind, in any state).</summary>
        public long Frames { get; internal set; }

        /// <summary>Gets the tag reads delivered to the sink.</summary>
        public long TagReads { get; internal set; }

        /// <summary>Gets the Mercury keep-alive frames (status 0x0400) received while streaming.</summary>
        public long KeepAlives { get; internal set; }

        /// <summary>Gets the R2000 inventory round summaries (and "no tag" round ends) received.</summary>
        public long RoundSummaries { get; internal set; }

        /// <summary>Gets the Mercury temperature-throttle frames (status 0x0504) received.</summary>
        public long TemperatureThrottles { get; internal set; }

        /// <summary>Gets the error statuses received (refused configuration commands, errors while streaming).</summary>
        public long ErrorStatuses { get; internal set; }

        /// <summary>Gets the frames that failed their checksum where a frame was expected (see <see cref="FrameDeframer"/>).</summary>
        public long CrcErrors { get; internal set; }

        /// <summary>Gets the frames cut short by lost bytes.</summary>
        public long TruncatedFrames { get; internal set; }

        /// <summary>Gets the frames with an impossible length or structure.</summary>
        public long MalformedFrames { get; internal set; }

        /// <summary>Gets the valid frames whose tag record could not be parsed.</summary>
        public long MalformedRecords { get; internal set; }

        /// <summary>Gets the bytes that were not part of any valid frame.</summary>
        public long SkippedBytes { get; internal set; }

        /// <summary>Gets how often the byte stream lost sync and was resynchronised on a later frame.</summary>
        public long Resyncs { get; internal set; }

        /// <summary>Gets the valid frames that did not fit the driver's state (e.g. stream frames while configuring).</summary>
        public long IgnoredFrames { get; internal set; }

        /// <summary>Gets the restarts of the module (stop, reconfigure, start), for any reason.</summary>
        public long Restarts { get; internal set; }

        /// <summary>Gets the restarts because the module went silent.</summary>
        public long SilenceRestarts { get; internal set; }

        /// <summary>Gets the restarts because of an error status.</summary>
        public long ErrorRestarts { get; internal set; }

        /// <summary>Gets the restarts because of a garbage storm.</summary>
        public long GarbageRestarts { get; internal set; }

        /// <summary>Gets the restarts because a command got no answer.</summary>
        public long TimeoutRestarts { get; internal set; }

        /// <summary>Gets the failures to open, read or write the port.</summary>
        public long PortErrors { get; internal set; }

        /// <summary>Gets how often the module refused the line speed asked for (it then reads at the speed it answered at).</summary>
        public long LineSpeedRefusals { get; internal set; }

        /// <summary>Copies every counter of another instance into this one.</summary>
        /// <param name="other">The counters to copy.</param>
        public void CopyFrom(ReaderCounters other)
        {
            BytesReceived = other.BytesReceived;
            Frames = other.Frames;
            TagReads = other.TagReads;
            KeepAlives = other.KeepAlives;
            RoundSummaries = other.RoundSummaries;
            TemperatureThrottles = other.TemperatureThrottles;
            ErrorStatuses = other.ErrorStatuses;
            CrcErrors = other.CrcErrors;
            TruncatedFrames = other.TruncatedFrames;
            MalformedFrames = other.MalformedFrames;
            MalformedRecords = other.MalformedRecords;
            SkippedBytes = other.SkippedBytes;
            Resyncs = other.Resyncs;
            IgnoredFrames = other.IgnoredFrames;
            Restarts = other.Restarts;
            SilenceRestarts = other.SilenceRestarts;
            ErrorRestarts = other.ErrorRestarts;
            GarbageRestarts = other.GarbageRestarts;
            TimeoutRestarts = other.TimeoutRestarts;
            PortErrors = other.PortErrors;
            LineSpeedRefusals = other.LineSpeedRefusals;
        }
    }
}
