namespace TimingMat.Core.Reader
{
    /// <summary>
    /// Running totals of a <see cref="ReaderDriver"/> since it was created, for the unit's status report and for tests.
    /// The driver updates one instance in place; <see cref="CopyFrom"/> takes a snapshot without allocating.
    /// </summary>
    public sealed class ReaderCounters
    {
        // The driver counts into these fields directly: a property setter is a call on the device's interpreter.
        internal long bytesReceived;
        internal long frames;
        internal long tagReads;
        internal long keepAlives;
        internal long roundSummaries;
        internal long temperatureThrottles;
        internal long errorStatuses;
        internal long crcErrors;
        internal long truncatedFrames;
        internal long malformedFrames;
        internal long malformedRecords;
        internal long skippedBytes;
        internal long resyncs;
        internal long ignoredFrames;
        internal long restarts;
        internal long silenceRestarts;
        internal long errorRestarts;
        internal long garbageRestarts;
        internal long timeoutRestarts;
        internal long portErrors;
        internal long lineSpeedRefusals;
        internal long readsThinned;
        internal long readsDropped;
        internal long backlogBytes;
        internal long maxBacklogBytes;
        internal long pollsBehind;

        /// <summary>Gets the bytes received from the module.</summary>
        public long BytesReceived
        {
            get { return bytesReceived; }
        }

        /// <summary>Gets the valid frames received (any kind, in any state).</summary>
        public long Frames
        {
            get { return frames; }
        }

        /// <summary>Gets the tag reads delivered to the sink.</summary>
        public long TagReads
        {
            get { return tagReads; }
        }

        /// <summary>Gets the Mercury keep-alive frames (status 0x0400) received while streaming.</summary>
        public long KeepAlives
        {
            get { return keepAlives; }
        }

        /// <summary>Gets the R2000 inventory round summaries (and "no tag" round ends) received.</summary>
        public long RoundSummaries
        {
            get { return roundSummaries; }
        }

        /// <summary>Gets the Mercury temperature-throttle frames (status 0x0504) received.</summary>
        public long TemperatureThrottles
        {
            get { return temperatureThrottles; }
        }

        /// <summary>Gets the error statuses received (refused configuration commands, errors while streaming).</summary>
        public long ErrorStatuses
        {
            get { return errorStatuses; }
        }

        /// <summary>Gets the frames that failed their checksum where a frame was expected (see <see cref="FrameDeframer"/>).</summary>
        public long CrcErrors
        {
            get { return crcErrors; }
        }

        /// <summary>Gets the frames cut short by lost bytes.</summary>
        public long TruncatedFrames
        {
            get { return truncatedFrames; }
        }

        /// <summary>Gets the frames with an impossible length or structure.</summary>
        public long MalformedFrames
        {
            get { return malformedFrames; }
        }

        /// <summary>Gets the valid frames whose tag record could not be parsed.</summary>
        public long MalformedRecords
        {
            get { return malformedRecords; }
        }

        /// <summary>Gets the bytes that were not part of any valid frame.</summary>
        public long SkippedBytes
        {
            get { return skippedBytes; }
        }

        /// <summary>Gets how often the byte stream lost sync and was resynchronised on a later frame.</summary>
        public long Resyncs
        {
            get { return resyncs; }
        }

        /// <summary>Gets the valid frames that did not fit the driver's state (e.g. stream frames while configuring).</summary>
        public long IgnoredFrames
        {
            get { return ignoredFrames; }
        }

        /// <summary>Gets the restarts of the module (stop, reconfigure, start), for any reason.</summary>
        public long Restarts
        {
            get { return restarts; }
        }

        /// <summary>Gets the restarts because the module went silent.</summary>
        public long SilenceRestarts
        {
            get { return silenceRestarts; }
        }

        /// <summary>Gets the restarts because of an error status.</summary>
        public long ErrorRestarts
        {
            get { return errorRestarts; }
        }

        /// <summary>Gets the restarts because of a garbage storm.</summary>
        public long GarbageRestarts
        {
            get { return garbageRestarts; }
        }

        /// <summary>Gets the restarts because a command got no answer.</summary>
        public long TimeoutRestarts
        {
            get { return timeoutRestarts; }
        }

        /// <summary>Gets the failures to open, read or write the port.</summary>
        public long PortErrors
        {
            get { return portErrors; }
        }

        /// <summary>Gets how often the module refused the line speed asked for (it then reads at the speed it answered at).</summary>
        public long LineSpeedRefusals
        {
            get { return lineSpeedRefusals; }
        }

        /// <summary>Gets the reads let go undecoded while the driver was behind its module: reads of chips the detector had already read well (<see cref="ReaderDriver.Thinner"/>).</summary>
        public long ReadsThinned
        {
            get { return readsThinned; }
        }

        /// <summary>Gets the frames lost while the driver was behind its module (found cut short or failing their checksum: bytes the UART dropped while the core was late).</summary>
        public long ReadsDropped
        {
            get { return readsDropped; }
        }

        /// <summary>Gets the bytes the last poll found waiting.</summary>
        public long BacklogBytes
        {
            get { return backlogBytes; }
        }

        /// <summary>Gets the most bytes one poll found waiting.</summary>
        public long MaxBacklogBytes
        {
            get { return maxBacklogBytes; }
        }

        /// <summary>Gets the polls that found more bytes waiting than <see cref="ReaderDriverOptions.BehindBytes"/>: the core was behind its module.</summary>
        public long PollsBehind
        {
            get { return pollsBehind; }
        }

        /// <summary>Copies every counter of another instance into this one.</summary>
        /// <param name="other">The counters to copy.</param>
        public void CopyFrom(ReaderCounters other)
        {
            bytesReceived = other.bytesReceived;
            frames = other.frames;
            tagReads = other.tagReads;
            keepAlives = other.keepAlives;
            roundSummaries = other.roundSummaries;
            temperatureThrottles = other.temperatureThrottles;
            errorStatuses = other.errorStatuses;
            crcErrors = other.crcErrors;
            truncatedFrames = other.truncatedFrames;
            malformedFrames = other.malformedFrames;
            malformedRecords = other.malformedRecords;
            skippedBytes = other.skippedBytes;
            resyncs = other.resyncs;
            ignoredFrames = other.ignoredFrames;
            restarts = other.restarts;
            silenceRestarts = other.silenceRestarts;
            errorRestarts = other.errorRestarts;
            garbageRestarts = other.garbageRestarts;
            timeoutRestarts = other.timeoutRestarts;
            portErrors = other.portErrors;
            lineSpeedRefusals = other.lineSpeedRefusals;
            readsThinned = other.readsThinned;
            readsDropped = other.readsDropped;
            backlogBytes = other.backlogBytes;
            maxBacklogBytes = other.maxBacklogBytes;
            pollsBehind = other.pollsBehind;
        }

        /// <summary>Counts a restart of the module, in total and by its reason.</summary>
        /// <param name="reason">Why the driver restarts the module.</param>
        internal void CountRestart(ReaderRestartReason reason)
        {
            restarts++;
            switch (reason)
            {
                case ReaderRestartReason.Silence:
                    silenceRestarts++;
                    break;
                case ReaderRestartReason.ErrorStatus:
                    errorRestarts++;
                    break;
                case ReaderRestartReason.GarbageStorm:
                    garbageRestarts++;
                    break;
                case ReaderRestartReason.ResponseTimeout:
                    timeoutRestarts++;
                    break;
            }
        }
    }
}
