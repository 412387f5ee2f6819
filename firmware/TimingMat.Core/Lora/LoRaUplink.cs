// Longer than 400 lines on purpose: the fallback's one state machine (idle, sending, listening) and the packet it
// builds from the journal; the answered runs it skips are AnsweredRuns.
using TimingMat.Core.Hardware;
using TimingMat.Core.Journal;
using TimingMat.Core.Passings;

namespace TimingMat.Core.Lora
{
    /// <summary>
    /// The LoRa fallback: while the MQTT uplink is down, sends the journal's unacknowledged passings to the LoRa gateway
    /// at the timing tent in compact, authenticated packets (<see cref="LoRaPassingPacket"/>), one at a time, and moves
    /// the journal's acked mark on the gateway's answer (<see cref="LoRaAck"/>), exactly as the collector's MQTT ack does.
    /// </summary>
    /// <remarks>
    /// <para>Half duplex, stop and wait: send a packet, listen for the ack, then keep quiet for the sub-band's
    /// duty-cycle off time (<see cref="DutyCycleBudget"/>). An unanswered packet is sent again after a random wait.
    /// Oldest first by default, so one cumulative number acknowledges everything; newest first
    /// (<see cref="LoRaOptions.NewestFirst"/>, a finish at a slow spreading factor) sends what just happened and fills
    /// the older gaps when nothing newer waits. A run the gateway answered is not sent again over LoRa even while a gap
    /// below it holds the acked mark back; when MQTT comes back the outbox starts after the acked mark, and the
    /// collector upgrades what it got over LoRa to the full records (never a second row).</para>
    /// <para>Polled; allocation-free once running (the radio's burst buffers settle on the longest packet).</para>
    /// </remarks>
    public sealed class LoRaUplink
    {
        /// <summary>Most runs above the acked mark remembered as answered (more: the lowest is forgotten and sent again).</summary>
        public const int MaxAnsweredRuns = 16;

        private const int StateIdle = 0;
        private const int StateSending = 1;
        private const int StateListening = 2;

        private readonly PassingJournal _journal;
        private readonly IMicrosecondClock _clock;
        private readonly LoRaOptions _options;
        private readonly DutyCycleBudget _duty;
        private readonly Passing _passing = new Passing();
        private readonly LoRaPacketWriter _writer = new LoRaPacketWriter();
        private readonly byte[] _received = new byte[255];
        private readonly LoRaAck _ack = new LoRaAck();
        private readonly IHmacSha256 _hmac;
        private readonly byte[] _key;
        private readonly int _maxBytes;
        private readonly int _fullRecords;
        private readonly long _listenMicros;
        private readonly AnsweredRuns _answered = new AnsweredRuns();
        private JournalCursor _cursor;
        private int _state;
        private long _offlineSince;
        private long _pendingSince;
        private long _sentFirst;
        private int _sentCount;
        private long _listenUntil;
        private long _nextTry;
        private long _nextRadioTry;
        private uint _random;

        /// <summary>Initializes a new instance of the <see cref="LoRaUplink"/> class; call <see cref="Start"/> next.</summary>
        /// <param name="journal">The unit's journal.</param>
        /// <param name="radio">The radio's SPI device.</param>
        /// <param name="clock">The unit's microsecond clock.</param>
        /// <param name="options">Validated options (<see cref="LoRaOptions.Validate"/>).</param>
        /// <param name="hmac">HMAC-SHA256, to sign packets and check the gateway's acks.</param>
        /// <param name="key">The unit's command key, which signs its packets and the gateway's acks; <c>null</c> keeps the radio silent (<see cref="Fault"/> says why).</param>
        /// <param name="chips">The race's chip list, or <c>null</c> (every chip then goes with its whole EPC).</param>
        public LoRaUplink(PassingJournal journal, ISpiDevice radio, IMicrosecondClock clock, LoRaOptions options, IHmacSha256 hmac, byte[] key, LoRaChipList chips)
        {
            _journal = journal;
            _hmac = hmac;
            _key = key;
            _clock = clock;
            _options = options;
            Radio = new Sx127xRadio(radio, clock);
            _duty = new DutyCycleBudget(options.DutyCyclePermille);
            _maxBytes = LoRaOptions.MaxPacketBytesFor(options);
            _fullRecords = (_maxBytes - LoRaPassingPacket.OverheadBytes) / 4;
            _listenMicros = LoRaOptions.ListenMicrosFor(options);
            _writer.Chips = chips;
            _offlineSince = -1;
            _pendingSince = -1;
            _random = (uint)(journal.UnitId * 2654435761L) | 1;
        }

        /// <summary>Gets the radio driver.</summary>
        public Sx127xRadio Radio { get; private set; }

        /// <summary>Gets the duty-cycle budget (airtime spent, next allowed time).</summary>
        public DutyCycleBudget DutyCycle
        {
            get { return _duty; }
        }

        /// <summary>Gets a value indicating whether LoRa is carrying the passings now (MQTT down long enough).</summary>
        public bool IsActive { get; private set; }

        /// <summary>Gets a value indicating whether a packet is on the air or its ack awaited (the radio is busy).</summary>
        public bool IsBusy
        {
            get { return _state != StateIdle; }
        }

        /// <summary>Gets the longest packet these settings allow, bytes.</summary>
        public int MaxPacketBytes
        {
            get { return _maxBytes; }
        }

        /// <summary>Gets the number of packets sent (re-sends included).</summary>
        public long PacketsSent { get; private set; }

        /// <summary>Gets the number of passings sent (re-sends included).</summary>
        public long PassingsSent { get; private set; }

        /// <summary>Gets the number of crossings sent with their whole EPC because their chip is on no run of the chip list.</summary>
        public long UnlistedChipsSent { get; private set; }

        /// <summary>Gets the number of authentic acks for this unit and journal that answered the packet sent.</summary>
        public long AcksReceived { get; private set; }

        /// <summary>Gets the number of acks for this unit and journal refused: a tag that does not check (forged, or no key), or an answer to another packet than the one sent (replayed).</summary>
        public long AcksRejected { get; private set; }

        /// <summary>Gets the number of packets that went unanswered.</summary>
        public long AckTimeouts { get; private set; }

        /// <summary>Gets the number of packets heard while waiting that were not this unit's ack (other mats, damaged).</summary>
        public long OtherPackets { get; private set; }

        /// <summary>Gets the number of radio faults (setup failed, TxDone never came).</summary>
        public int RadioFaults { get; private set; }

        /// <summary>Gets the last fault (invalid options, no key, radio missing, a transmission that never finished), or <c>null</c>.</summary>
        public string Fault { get; private set; }

        /// <summary>Sets the radio up (when enabled).</summary>
        /// <returns><c>true</c> when the radio is ready; otherwise <see cref="Fault"/> says why and setup is tried again later.</returns>
        public bool Start()
        {
            if (!_options.Enabled)
            {
                return false;
            }

            string invalid = _options.Validate();
            if (invalid != null)
            {
                // E.g. SF10–12 under a 400 ms dwell limit: no packet fits. Say so instead of never sending.
                Fault = invalid;
                return false;
            }

            if (_key == null)
            {
                Fault = "no command.key: the gateway takes only packets signed with the unit's key";
                return false;
            }

            if (Radio.Begin(_options.Radio))
            {
                Fault = null;
                return true;
            }

            RadioFaults++;
            Fault = Radio.Fault;
            _nextRadioTry = _clock.GetMicroseconds() + _options.RadioRetryMicros;
            return false;
        }

        /// <summary>Does one round of work; never blocks.</summary>
        /// <param name="ipOnline">Whether the MQTT uplink is up now.</param>
        public void Poll(bool ipOnline)
        {
            if (!_options.Enabled || _maxBytes < LoRaOptions.MinPacketBytes || _key == null)
            {
                return;
            }

            long now = _clock.GetMicroseconds();
            if (ipOnline)
            {
                _offlineSince = -1;
            }
            else if (_offlineSince < 0)
            {
                _offlineSince = now;
            }

            IsActive = !ipOnline && now - _offlineSince >= _options.FallbackAfterMicros;
            if (!Radio.IsReady)
            {
                _state = StateIdle;
                if (now < _nextRadioTry || !Start())
                {
                    return;
                }
            }

            if (_state == StateSending)
            {
                PollSending(now);
            }
            else if (_state == StateListening)
            {
                PollListening(now);
            }
            else if (IsActive && _duty.MayTransmit(now) && now >= _nextTry)
            {
                SendDue(now);
            }
        }

        private void PollSending(long now)
        {
            RadioResult result = Radio.PollTransmit();
            if (result == RadioResult.Pending)
            {
                return;
            }

            if (result == RadioResult.Fault)
            {
                // A PA that really sent but never said so still used the air: charge all of it to the duty cycle.
                RadioFaults++;
                Fault = Radio.LastFault;
                _duty.Record(now, now - Radio.LastTransmitStartedMicros);
                _state = StateIdle;
                _nextTry = now + Backoff();
                return;
            }

            _duty.Record(now, Radio.LastAirtimeMicros);
            Radio.StartReceive();
            _listenUntil = now + _listenMicros;
            _state = StateListening;
        }

        private void PollListening(long now)
        {
            int length;
            RadioResult result = Radio.TryReceive(_received, out length);
            if (result == RadioResult.Done && _ack.Read(_received, length) && _ack.UnitId == _journal.UnitId && _ack.JournalId == _journal.JournalId)
            {
                // The ack's numbers are their low 32 bits: complete them from the packet just sent.
                long first = LoRaPassingPacket.Extend(_ack.PacketFirstSequence, _sentFirst);
                if (!_ack.IsAuthentic(_received, _key, _hmac) || first != _sentFirst || _ack.PacketCount != (_sentCount & 0xFF))
                {
                    // Forged, or an old ack played again: it must not move the acked mark. Keep listening for the real one.
                    AcksRejected++;
                    return;
                }

                AcksReceived++;
                _journal.Acknowledge(LoRaPassingPacket.Extend(_ack.AckedSequence, _sentFirst));

                // The gateway holds this run even if a gap before it keeps the acked number back.
                _answered.Mark(_sentFirst, _sentFirst + _sentCount - 1);
                Radio.Standby();
                _state = StateIdle;
                return;
            }

            if (result != RadioResult.Pending)
            {
                OtherPackets++;
            }

            if (now >= _listenUntil)
            {
                AckTimeouts++;
                Radio.Standby();
                _state = StateIdle;
                _nextTry = now + Backoff();
            }
        }

        private void SendDue(long now)
        {
            long acked = _journal.AckedSequence;
            long durable = _journal.DurableSequence;
            _answered.ForgetUpTo(acked);

            // The run to send: the oldest (or newest) stretch of durable passings neither acked nor answered.
            long from;
            long to;
            if (_options.NewestFirst)
            {
                to = durable;
                int run = _answered.Holding(to);
                while (run >= 0)
                {
                    to = _answered.From[run] - 1;
                    run = _answered.Holding(to);
                }

                from = _answered.Below(to, acked) + 1;
            }
            else
            {
                from = acked + 1;
                int run = _answered.Holding(from);
                while (run >= 0)
                {
                    from = _answered.To[run] + 1;
                    run = _answered.Holding(from);
                }

                to = _answered.Above(from, durable) - 1;
            }

            if (from > to)
            {
                _pendingSince = -1;
                return;
            }

            if (_pendingSince < 0)
            {
                _pendingSince = now;
            }

            if (to - from + 1 < _fullRecords && now - _pendingSince < _options.BatchMaxAgeMicros)
            {
                return;
            }

            if (to > LoRaPassingPacket.MaxSequence)
            {
                Fault = "sequence numbers beyond 48 bits cannot go over LoRa";
                return;
            }

            int length = _options.NewestFirst ? BuildNewest(from, to) : Build(from, to);
            if (length == 0)
            {
                // Nothing readable there any more (damaged records): go on after them.
                _answered.Mark(from, to);
                return;
            }

            if (!Radio.StartTransmit(_writer.Buffer, length))
            {
                RadioFaults++;
                return;
            }

            _state = StateSending;
            PacketsSent++;
            PassingsSent += _sentCount;
            UnlistedChipsSent += _writer.Unlisted;
            if (_sentFirst + _sentCount > to)
            {
                _pendingSince = -1;
            }
        }

        // Newest first: a packet that ends at `to`. Records vary in length, so start where about that many fit and move
        // the start up by what did not fit (twice at most).
        private int BuildNewest(long from, long to)
        {
            long start = to - _fullRecords + 1;
            int length = 0;
            for (int attempt = 0; attempt < 3; attempt++)
            {
                if (start < from)
                {
                    start = from;
                }

                length = Build(start, to);
                long end = _sentFirst + _sentCount - 1;
                if (length == 0 || end >= to || start == to)
                {
                    return length;
                }

                start += to - end;
            }

            return length;
        }

        private int Build(long from, long to)
        {
            if (_cursor == null)
            {
                _cursor = _journal.CreateCursor();
            }

            if (_cursor.NextSequence != from)
            {
                _cursor.Seek(from);
            }

            LoRaPacketWriter writer = _writer;
            int count = 0;
            long first = 0;
            while (_cursor.NextSequence <= to && _cursor.TryRead(_passing))
            {
                if (_passing.Sequence > to || (count > 0 && _passing.Sequence != first + count))
                {
                    // Past the run's end, or a gap: the packet ends before it.
                    _cursor.Seek(_passing.Sequence);
                    break;
                }

                if (count == 0)
                {
                    first = _passing.Sequence;
                    writer.Begin(_journal.UnitId, _journal.JournalId, _passing, _journal.AckedSequence, _maxBytes);
                }

                if (!writer.TryAdd(_passing))
                {
                    // No room, another clock state, or too far in time from the last: the next packet starts with it.
                    _cursor.Seek(_passing.Sequence);
                    break;
                }

                count++;
            }

            if (count == 0)
            {
                return 0;
            }

            _sentFirst = first;
            _sentCount = count;
            return writer.Finish(_key, _hmac);
        }

        private long Backoff()
        {
            // A small LCG: two mats whose packets collided must not pick the same wait again.
            _random = (_random * 1664525u) + 1013904223u;
            long span = _options.RetryBackoffMicros + 1;
            return (long)((_random >> 8) % (uint)span);
        }
    }
}
