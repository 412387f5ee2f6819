using TimingMat.Core.Hardware;
using TimingMat.Core.Journal;

// A little over 400 lines: one state machine (build a batch, publish, wait for the collector's ack, replay on request)
// whose per-poll path reaches its batch and window as fields; both are their own types.
namespace TimingMat.Core.Outbox
{
    /// <summary>
    /// Store-and-forward from the journal to the collector: batches durable passings (by count or age), publishes
    /// them with QoS 1, and forgets nothing until the collector's own ack says it has stored them.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Three flows share a window of <see cref="OutboxOptions.MaxInFlightBatches"/> unanswered batches:
    /// <b>live</b> (passings that became durable since the link came up; a batch goes when it holds
    /// <see cref="OutboxOptions.BatchMaxCount"/> passings or its oldest has waited <see cref="OutboxOptions.BatchMaxAgeMicros"/>),
    /// <b>backlog</b> (everything not acknowledged when the link came up, plus anything lost on the way; sent
    /// oldest first in full batches, never taking the last window slot so live passings keep flowing), and
    /// <b>replay</b> (ranges a <c>replay FROM [TO]</c> command asked for, acknowledged or not).
    /// </para>
    /// <para>
    /// A broker PUBACK only says the broker has a batch; it may still die before the collector stores it. A batch is
    /// answered by the collector's ack (<see cref="CollectorAck"/>); its acked number moves the journal's mark,
    /// which alone lets the journal prune. A batch unanswered for <see cref="OutboxOptions.AckTimeoutMicros"/>
    /// (doubling up to <see cref="OutboxOptions.AckTimeoutMaxMicros"/> while the collector stays silent), or still open
    /// when the collector answers a batch published after it, goes back to the backlog. Duplicates are harmless:
    /// the collector stores by (unit, seq).
    /// </para>
    /// <para>Polled; allocates one exact-size payload array per batch published (the link keeps it until PUBACK).
    /// A batch is built over several polls (<see cref="OutgoingBatch"/>); the batches out wait in an
    /// <see cref="InFlightWindow"/>.</para>
    /// </remarks>
    public sealed class PassingOutbox
    {
        private readonly PassingJournal _journal;
        private readonly IMicrosecondClock _clock;
        private readonly OutboxOptions _options;
        private readonly JournalCursor _live;
        private readonly JournalCursor _backlog;
        private readonly CollectorAck _ack = new CollectorAck();
        private readonly InFlightWindow _window;
        private readonly OutgoingBatch _outgoing;
        private readonly SequenceRange _resend = new SequenceRange();
        private readonly SequenceRange _replay = new SequenceRange();
        private long _sendNext;
        private long _pendingSince;
        private long _ackTimeout;
        private bool _connected;
        private readonly int _batchMaxCount;
        private readonly long _batchMaxAge;

        /// <summary><see cref="WaitThisPoll"/>, as a field the uplink sets every poll (a property is a call on the device).</summary>
        internal bool waitThisPoll;

        /// <summary>
        /// Whether the last poll found nothing to do: nothing in flight or unacked by the collector, no batch being
        /// built, nothing durable unsent, no resend or replay. The unit then polls the uplink only now and then until a passing comes.
        /// </summary>
        internal bool idle;

        /// <summary>Initializes a new instance of the <see cref="PassingOutbox"/> class.</summary>
        /// <param name="journal">The open journal.</param>
        /// <param name="link">The MQTT link (connected and subscribed by the caller, see <see cref="UnitUplink"/>).</param>
        /// <param name="clock">The unit's microsecond clock.</param>
        /// <param name="options">Batching and ack settings.</param>
        public PassingOutbox(PassingJournal journal, IMqttLink link, IMicrosecondClock clock, OutboxOptions options)
        {
            _journal = journal;
            _clock = clock;
            _options = options;
            _window = new InFlightWindow(options.MaxInFlightBatches < 2 ? 2 : options.MaxInFlightBatches);
            _outgoing = new OutgoingBatch(journal, link, new UplinkTopics(options.TopicPrefix, journal.UnitId).Passings, _window, options);
            _live = journal.CreateCursor();
            _backlog = journal.CreateCursor();
            _sendNext = journal.DurableSequence + 1;
            _pendingSince = -1;
            _ackTimeout = options.AckTimeoutMicros;
            _batchMaxCount = options.BatchMaxCount;
            _batchMaxAge = options.BatchMaxAgeMicros;
            LastAckMicros = -1;
        }

        /// <summary>Gets the number of batches awaiting the collector's answer.</summary>
        public int InFlight
        {
            get { return _window.count; }
        }

        /// <summary>Gets the number of durable passings the collector has not acknowledged.</summary>
        public long Unacknowledged
        {
            get { return _journal.UnacknowledgedCount; }
        }

        /// <summary>Gets the number of passings waiting in the backlog flow (not yet sent since the link came up, or lost).</summary>
        public long BacklogPending
        {
            get { return _resend.Count; }
        }

        /// <summary>Gets the number of batches published since start.</summary>
        public long BatchesSent
        {
            get { return _outgoing.batchesSent; }
        }

        /// <summary>Gets the number of passings published since start (re-sends included).</summary>
        public long PassingsSent
        {
            get { return _outgoing.passingsSent; }
        }

        /// <summary>Gets the number of batches given up on (timeout, or lost before a later one was answered) and queued again.</summary>
        public long BatchesRequeued { get; private set; }

        /// <summary>Gets the number of replay requests received.</summary>
        public int ReplayRequests { get; private set; }

        /// <summary>Gets the number of broker PUBACKs seen.</summary>
        public long BrokerAcks { get; private set; }

        /// <summary>Gets the number of valid collector acks for this unit and journal.</summary>
        public long CollectorAcks { get; private set; }

        /// <summary>Gets the number of ack messages ignored (malformed, or for another unit or journal).</summary>
        public int IgnoredAcks { get; private set; }

        /// <summary>Gets the local time of the last collector ack in µs, or −1 before the first.</summary>
        public long LastAckMicros { get; private set; }

        /// <summary>
        /// Gets or sets a value indicating whether the unit's current poll already did heavy work (a peak fit, half the
        /// clock fit): the outbox then leaves its batch work to the next poll, so the pieces do not pile into one poll.
        /// </summary>
        public bool WaitThisPoll
        {
            get { return waitThisPoll; }
            set { waitThisPoll = value; }
        }

        /// <summary>Starts sending after the link connected: everything unacknowledged goes to the backlog flow.</summary>
        public void OnConnected()
        {
            _connected = true;
            _window.count = 0;
            _pendingSince = -1;
            _ackTimeout = _options.AckTimeoutMicros;
            long durable = _journal.DurableSequence;
            _sendNext = durable + 1;
            Requeue(_journal.AckedSequence + 1, durable);
            TrimResend();
        }

        /// <summary>Stops sending after the link dropped; open batches are sent again after the next connect.</summary>
        public void OnDisconnected()
        {
            _connected = false;
            _window.count = 0;
            _outgoing.building = false;
        }

        /// <summary>Notes a broker PUBACK (statistics only: it does not complete a batch).</summary>
        /// <param name="packetId">The acknowledged packet id.</param>
        public void OnBrokerAck(int packetId)
        {
            BrokerAcks++;
        }

        /// <summary>Handles a message from the ack topic.</summary>
        /// <param name="payload">The message body.</param>
        /// <returns><c>true</c> when it was a valid ack for this unit and journal.</returns>
        public bool HandleAck(byte[] payload)
        {
            if (!_ack.Read(payload, payload.Length) || _ack.UnitId != _journal.UnitId || _ack.JournalId != _journal.JournalId)
            {
                IgnoredAcks++;
                return false;
            }

            CollectorAcks++;
            LastAckMicros = _clock.GetMicroseconds();
            bool progress = _journal.Acknowledge(_ack.AckedSequence);
            long acked = _journal.AckedSequence;
            long answeredOrder = -1;
            InFlightWindow window = _window;
            for (int i = window.count - 1; i >= 0; i--)
            {
                bool covered = window.first[i] + window.counts[i] - 1 <= acked;
                bool answered = window.first[i] == _ack.BatchFirstSequence && window.counts[i] == _ack.BatchCount;
                if (covered || answered)
                {
                    if (answered && window.order[i] > answeredOrder)
                    {
                        answeredOrder = window.order[i];
                    }

                    window.RemoveAt(i);
                    progress = true;
                }
            }

            if (answeredOrder >= 0)
            {
                // The collector gets batches in the order they were published: one published before the batch it just
                // answered and still open was lost on the way (e.g. by a broker restart).
                for (int i = window.count - 1; i >= 0; i--)
                {
                    if (window.order[i] < answeredOrder)
                    {
                        GiveUp(i);
                    }
                }
            }

            if (_ack.BatchFirstSequence > 0 && acked < _ack.BatchFirstSequence - 1 && !IsCovered(acked + 1))
            {
                // The collector holds this batch but misses passings before it that nothing is carrying any more.
                Requeue(acked + 1, _ack.BatchFirstSequence - 1);
            }

            if (progress)
            {
                _ackTimeout = _options.AckTimeoutMicros;
            }

            TrimResend();
            return true;
        }

        /// <summary>Queues a replay: every stored passing from one sequence number on is sent again.</summary>
        /// <param name="from">First sequence number (clamped to the oldest stored).</param>
        /// <param name="to">Last sequence number, or <see cref="ReplayRequest.OpenEnd"/> for everything durable now.</param>
        public void Replay(long from, long to)
        {
            ReplayRequests++;
            long durable = _journal.DurableSequence;
            if (to == ReplayRequest.OpenEnd || to > durable)
            {
                to = durable;
            }

            if (from < _journal.FirstSequence)
            {
                from = _journal.FirstSequence;
            }

            _replay.Add(from, to);
        }

        /// <summary>Publishes whatever is due; call it from the unit's loop after taking acks and commands.</summary>
        public void Poll()
        {
            if (_connected)
            {
                Poll(_clock.GetMicroseconds());
            }
        }

        /// <summary>Publishes whatever is due at a time the caller read from the clock.</summary>
        /// <param name="now">Local µs now.</param>
        internal void Poll(long now)
        {
            idle = false;
            if (!_connected)
            {
                return;
            }

            if (_window.count > 0)
            {
                ExpireInFlight(now);
            }

            if (waitThisPoll)
            {
                return;
            }

            long durable = _journal.durableSequence;
            if (_outgoing.building)
            {
                // One batch's work a poll: the batch begun in an earlier poll goes on.
                GoOnBuilding(now, durable);
                return;
            }

            SequenceRange resend = _resend;
            if (_sendNext > durable && resend.next > resend.end && _replay.next > _replay.end)
            {
                // Nothing to send (an idle unit's every poll): one look at each flow.
                // Idle once the collector has acked all that was sent, too: its acks then wait for the uplink's
                // period, and the journal's acked mark (what a reconnect resends from) would lag behind.
                idle = _window.count == 0 && _journal.ackedSequence >= _sendNext - 1;
                return;
            }

            InFlightWindow inFlight = _window;
            int window = inFlight.first.Length;
            bool sent = false;
            if (_sendNext <= durable)
            {
                if (_pendingSince < 0)
                {
                    _pendingSince = now;
                }

                // One batch at a time, built over a few polls: building one (records read back and checked, the
                // batch's CRC) is the largest piece of work the outbox does on the device.
                if (inFlight.count < window && (durable - _sendNext + 1 >= _batchMaxCount || now - _pendingSince >= _batchMaxAge))
                {
                    _outgoing.flow = OutgoingBatch.FlowLive;
                    long last = _outgoing.Send(_live, _sendNext, durable, false, now);
                    if (last < 0)
                    {
                        return;
                    }

                    _sendNext = last + 1;
                    sent = true;
                }

                if (_sendNext > durable)
                {
                    _pendingSince = -1;
                }
            }

            resend.SkipTo(_journal.ackedSequence + 1);
            if (!sent && !SendFrom(resend, false, now, window))
            {
                return;
            }

            if (!sent && resend.next > resend.end)
            {
                SendFrom(_replay, true, now, window);
            }
        }

        private void GoOnBuilding(long now, long durable)
        {
            OutgoingBatch outgoing = _outgoing;
            long last = outgoing.Send(outgoing.cursor, 0, outgoing.to, outgoing.flow == OutgoingBatch.FlowReplay, now);
            if (last < 0)
            {
                return;
            }

            if (outgoing.flow == OutgoingBatch.FlowLive)
            {
                _sendNext = last + 1;
                if (_sendNext > durable)
                {
                    _pendingSince = -1;
                }
                else if (last == outgoing.to)
                {
                    // The batch took its whole range: what is left became durable while it was built.
                    _pendingSince = outgoing.started;
                }
            }
            else
            {
                (outgoing.flow == OutgoingBatch.FlowResend ? _resend : _replay).SkipTo(last + 1);
            }
        }

        // Sends a full batch from a range when the window has room, leaving its last slot to live passings.
        private bool SendFrom(SequenceRange range, bool replay, long now, int window)
        {
            if (range.next <= range.end && _window.count < window - 1)
            {
                _outgoing.flow = replay ? OutgoingBatch.FlowReplay : OutgoingBatch.FlowResend;
                long last = _outgoing.Send(_backlog, range.Next, range.End, replay, now);
                if (last < 0)
                {
                    return false;
                }

                range.SkipTo(last + 1);
            }

            return true;
        }

        private void ExpireInFlight(long now)
        {
            bool expired = false;
            InFlightWindow window = _window;
            for (int i = window.count - 1; i >= 0; i--)
            {
                if (now - window.sentAt[i] >= _ackTimeout)
                {
                    GiveUp(i);
                    expired = true;
                }
            }

            if (expired)
            {
                // The collector is silent: wait longer before the next round of re-sends.
                _ackTimeout = _ackTimeout * 2 > _options.AckTimeoutMaxMicros ? _options.AckTimeoutMaxMicros : _ackTimeout * 2;
            }
        }

        private void GiveUp(int index)
        {
            InFlightWindow window = _window;
            if (!window.replay[index])
            {
                Requeue(window.first[index], window.first[index] + window.counts[index] - 1);
            }

            BatchesRequeued++;
            window.RemoveAt(index);
        }

        private void Requeue(long from, long to)
        {
            long acked = _journal.AckedSequence;
            if (from <= acked)
            {
                from = acked + 1;
            }

            if (to >= _sendNext)
            {
                to = _sendNext - 1;
            }

            _resend.Add(from, to);
        }

        private void TrimResend()
        {
            _resend.SkipTo(_journal.AckedSequence + 1);
        }

        private bool IsCovered(long sequence)
        {
            return sequence >= _sendNext || _resend.Contains(sequence) || _window.Carries(sequence);
        }
    }
}
