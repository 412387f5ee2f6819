using TimingMat.Core.Hardware;
using TimingMat.Core.Journal;
using TimingMat.Core.Passings;

namespace TimingMat.Core.Lora
{
    /// <summary>
    /// The LoRa fallback: while the MQTT uplink is down, sends the journal's unacknowledged passings to the receiver
    /// at the timing tent in compact packets (<see cref="LoRaPassingPacket"/>), one at a time, and moves the journal's
    /// acked mark on the receiver's answer (<see cref="LoRaAck"/>), exactly as the collector's MQTT ack does.
    /// </summary>
    /// <remarks>
    /// <para>Half duplex, stop and wait: send a packet, listen for the ack, then keep quiet for the sub-band's
    /// duty-cycle off time (<see cref="DutyCycleBudget"/>). An unanswered packet is sent again after a random wait.
    /// Oldest first, so one cumulative number acknowledges everything; when MQTT comes back the outbox starts
    /// after the last passing LoRa got acknowledged, and nothing is sent twice except a packet whose ack was lost.</para>
    /// <para>Polled; allocation-free once running (the radio's burst buffers settle on the full-packet length).</para>
    /// </remarks>
    public sealed class LoRaUplink
    {
        private const int StateIdle = 0;
        private const int StateSending = 1;
        private const int StateListening = 2;

        private readonly PassingJournal _journal;
        private readonly IMicrosecondClock _clock;
        private readonly LoRaOptions _options;
        private readonly DutyCycleBudget _duty;
        private readonly Passing _passing = new Passing();
        private readonly byte[] _packet = new byte[255];
        private readonly byte[] _received = new byte[255];
        private readonly LoRaAck _ack = new LoRaAck();
        private readonly IHmacSha256 _hmac;
        private readonly byte[] _key;
        private readonly int _maxRecords;
        private JournalCursor _cursor;
        private int _state;
        private long _offlineSince;
        private long _pendingSince;
        private long _sendFrom;
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
        /// <param name="hmac">HMAC-SHA256, to check the receiver's acks.</param>
        /// <param name="key">The unit's command key, which the receiver signs its acks with; <c>null</c> refuses every ack (nothing is ever forgotten over LoRa).</param>
        public LoRaUplink(PassingJournal journal, ISpiDevice radio, IMicrosecondClock clock, LoRaOptions options, IHmacSha256 hmac, byte[] key)
        {
            _journal = journal;
            _hmac = hmac;
            _key = key;
            _clock = clock;
            _options = options;
            Radio = new Sx127xRadio(radio, clock);
            _duty = new DutyCycleBudget(options.DutyCyclePermille);
            _maxRecords = LoRaOptions.MaxRecordsFor(options);
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

        /// <summary>Gets the most records one packet holds with these settings.</summary>
        public int MaxRecords
        {
            get { return _maxRecords; }
        }

        /// <summary>Gets the number of packets sent (re-sends included).</summary>
        public long PacketsSent { get; private set; }

        /// <summary>Gets the number of passings sent (re-sends included).</summary>
        public long PassingsSent { get; private set; }

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

        /// <summary>Gets the last fault (invalid options, radio missing, a transmission that never finished), or <c>null</c>.</summary>
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
            if (!_options.Enabled || _maxRecords < 1)
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
            _listenUntil = now + _options.AckWaitMicros;
            _state = StateListening;
        }

        private void PollListening(long now)
        {
            int length;
            RadioResult result = Radio.TryReceive(_received, out length);
            if (result == RadioResult.Done && _ack.Read(_received, length) && _ack.UnitId == _journal.UnitId && _ack.JournalId == _journal.JournalId)
            {
                if (!_ack.IsAuthentic(_received, _key, _hmac) || _ack.PacketFirstSequence != _sentFirst || _ack.PacketCount != _sentCount)
                {
                    // Forged, or an old ack played again: it must not move the acked mark. Keep listening for the real one.
                    AcksRejected++;
                    return;
                }

                AcksReceived++;
                _journal.Acknowledge(_ack.AckedSequence);
                if (_sendFrom < _sentFirst + _sentCount)
                {
                    // The receiver holds this packet even if a gap before it keeps the acked number back.
                    _sendFrom = _sentFirst + _sentCount;
                }

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
            if (_sendFrom <= acked)
            {
                _sendFrom = acked + 1;
            }

            long durable = _journal.DurableSequence;
            if (_sendFrom > durable)
            {
                _pendingSince = -1;
                return;
            }

            if (_pendingSince < 0)
            {
                _pendingSince = now;
            }

            if (durable - _sendFrom + 1 < _maxRecords && now - _pendingSince < _options.BatchMaxAgeMicros)
            {
                return;
            }

            if (_sendFrom + _maxRecords > LoRaPassingPacket.MaxSequence)
            {
                Fault = "sequence numbers beyond 32 bits cannot go over LoRa";
                return;
            }

            int length = BuildPacket(durable);
            if (length == 0)
            {
                // Nothing readable there any more (damaged records): go on after them.
                _sendFrom = durable + 1;
                return;
            }

            if (!Radio.StartTransmit(_packet, length))
            {
                RadioFaults++;
                return;
            }

            _state = StateSending;
            PacketsSent++;
            PassingsSent += _sentCount;
            if (_sentFirst + _sentCount > durable)
            {
                _pendingSince = -1;
            }
        }

        private int BuildPacket(long durable)
        {
            if (_cursor == null)
            {
                _cursor = _journal.CreateCursor();
            }

            if (_cursor.NextSequence != _sendFrom)
            {
                _cursor.Seek(_sendFrom);
            }

            int count = 0;
            long first = 0;
            long baseMillis = 0;
            while (count < _maxRecords && _cursor.NextSequence <= durable && _cursor.TryRead(_passing))
            {
                if (_passing.Sequence > durable || (count > 0 && (_passing.Sequence != first + count || !LoRaPassingPacket.Fits(_passing, baseMillis))))
                {
                    // Past the durable end, a gap, or too far in time from the first: the packet ends before it.
                    _cursor.Seek(_passing.Sequence);
                    break;
                }

                if (count == 0)
                {
                    first = _passing.Sequence;
                    baseMillis = LoRaPassingPacket.MillisOf(_passing);
                    LoRaPassingPacket.WriteHeader(_packet, _journal.UnitId, _journal.JournalId, first, _journal.AckedSequence, baseMillis);
                }

                LoRaPassingPacket.WriteRecord(_packet, count, _passing, baseMillis);
                count++;
            }

            if (count == 0)
            {
                return 0;
            }

            _sentFirst = first;
            _sentCount = count;
            _sendFrom = first;
            return LoRaPassingPacket.SetCount(_packet, count);
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
