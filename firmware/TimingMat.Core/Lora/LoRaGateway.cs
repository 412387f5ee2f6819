// Longer than 400 lines on purpose: one packet's path (check, deliver, answer within the duty cycle) and the per-unit
// counters it keeps, together so it reads against firmware/docs/wire-formats.md section 9.
using TimingMat.Core.Hardware;

namespace TimingMat.Core.Lora
{
    /// <summary>
    /// The LoRa gateway at the timing tent: listens on the mats' channel, checks each packet (structure, the unit's key,
    /// its tag, replays), hands the passings to an <see cref="ILoRaDelivery"/>, and once the collector has stored them
    /// answers the unit with an authenticated ack (<see cref="LoRaAck"/>) carrying the collector's contiguous mark,
    /// within the gateway's own duty cycle. The same code runs on a gateway board (<c>lora.role = gateway</c>,
    /// <see cref="Unit.LoRaGatewayUnit"/>) and in <c>timingmat collect --lora</c>.
    /// </summary>
    /// <remarks>
    /// <para>Rejected and counted, never passed on or answered: a damaged or malformed packet, a version-1 packet (it
    /// carries no tag), a unit whose key the gateway lacks, a tag that does not check, and a replay — a packet whose
    /// records all lie at or below the highest acked mark that unit's authentic packets have claimed (the unit itself
    /// would never send them again). A genuine packet the unit sends again because its ack was lost is passed on again
    /// (the collector counts a duplicate) and answered again.</para>
    /// <para>An answer that cannot start before the unit stops listening (the duty cycle, a slow collector) is dropped
    /// and counted; the unit sends the packet again. Polled; allocation-free once running.</para>
    /// </remarks>
    public sealed class LoRaGateway
    {
        /// <summary>Answers that may wait at once (packets heard and not yet answered).</summary>
        public const int MaxAnswers = 8;

        // The unit may poll its radio a little after the ack arrives: start the answer this much before it stops listening.
        private const long AnswerMarginMicros = 20000;

        /// <summary>
        /// The least time between hearing a packet and starting its answer: the unit turns its radio to receive on the
        /// poll after its packet ends (a board polls every 10 ms), and an ack sent before that is lost on an empty air.
        /// A desktop gateway polls every 2 ms and its store takes a millisecond, so without this wait it answered first.
        /// </summary>
        public const long AnswerTurnaroundMicros = 50000;

        private readonly IMicrosecondClock _clock;
        private readonly LoRaOptions _options;
        private readonly LoRaKeyList _keys;
        private readonly IHmacSha256 _hmac;
        private readonly DutyCycleBudget _duty;
        private readonly LoRaPacketReader _reader = new LoRaPacketReader();
        private readonly LoRaAck _ack = new LoRaAck();
        private readonly byte[] _packet = new byte[255];
        private readonly byte[] _ackBytes = new byte[LoRaAck.Bytes];

        // Per unit (by key slot).
        private readonly int[] _journal;
        private readonly long[] _claimedAcked;
        private readonly long[] _packets;
        private readonly long[] _passings;
        private readonly long[] _unitRejected;
        private readonly int[] _rssi;
        private readonly int[] _snr;
        private readonly long[] _lastHeard;

        // Answers, by ticket slot.
        private readonly int[] _answerSlot = new int[MaxAnswers];
        private readonly int[] _answerJournal = new int[MaxAnswers];
        private readonly long[] _answerFirst = new long[MaxAnswers];
        private readonly int[] _answerCount = new int[MaxAnswers];
        private readonly long[] _answerDue = new long[MaxAnswers];
        private readonly long[] _answerFrom = new long[MaxAnswers];
        private readonly long[] _answerAcked = new long[MaxAnswers];
        private readonly int[] _answerState = new int[MaxAnswers];
        private readonly int[] _answerGeneration = new int[MaxAnswers];

        private bool _sending;
        private long _nextRadioTry;

        /// <summary>Initializes a new instance of the <see cref="LoRaGateway"/> class; set <see cref="Delivery"/>, then <see cref="Start"/>.</summary>
        /// <param name="radio">The gateway's SX127x.</param>
        /// <param name="clock">Microsecond clock.</param>
        /// <param name="options">The channel shared with the mats (radio settings, ack wait) and the gateway's own duty cycle.</param>
        /// <param name="keys">Every unit's command key.</param>
        /// <param name="chips">The race's chip list (indices back to EPCs), or <c>null</c>.</param>
        /// <param name="hmac">HMAC-SHA256.</param>
        public LoRaGateway(ISpiDevice radio, IMicrosecondClock clock, LoRaOptions options, LoRaKeyList keys, LoRaChipList chips, IHmacSha256 hmac)
        {
            _clock = clock;
            _options = options;
            _keys = keys;
            _hmac = hmac;
            _duty = new DutyCycleBudget(options.DutyCyclePermille);
            _reader.Chips = chips;
            Radio = new Sx127xRadio(radio, clock);
            int units = keys.Count;
            _journal = new int[units];
            _claimedAcked = new long[units];
            _packets = new long[units];
            _passings = new long[units];
            _unitRejected = new long[units];
            _rssi = new int[units];
            _snr = new int[units];
            _lastHeard = new long[units];
            for (int i = 0; i < units; i++)
            {
                _claimedAcked[i] = -1;
                _lastHeard[i] = -1;
            }
        }

        /// <summary>Gets or sets where checked packets go.</summary>
        public ILoRaDelivery Delivery { get; set; }

        /// <summary>Gets the radio driver.</summary>
        public Sx127xRadio Radio { get; private set; }

        /// <summary>Gets the keys of the units it answers.</summary>
        public LoRaKeyList Keys
        {
            get { return _keys; }
        }

        /// <summary>Gets the duty-cycle budget of the answers.</summary>
        public DutyCycleBudget DutyCycle
        {
            get { return _duty; }
        }

        /// <summary>Gets the packets heard: every reception, damaged ones included.</summary>
        public long Heard { get; private set; }

        /// <summary>Gets the packets dropped for a wrong CRC (collisions, interference).</summary>
        public long Damaged { get; private set; }

        /// <summary>Gets the packets refused as malformed (not a passing packet, cut short, version 1).</summary>
        public long Malformed { get; private set; }

        /// <summary>Gets the packets refused because the gateway has no key for their unit.</summary>
        public long UnknownUnit { get; private set; }

        /// <summary>Gets the packets refused because their tag did not check (forged, or a key that differs).</summary>
        public long BadTag { get; private set; }

        /// <summary>Gets the packets refused as replays (every record at or below the unit's own acked mark).</summary>
        public long Replays { get; private set; }

        /// <summary>Gets the checked packets passed on.</summary>
        public long Forwarded { get; private set; }

        /// <summary>Gets the passings passed on (re-sends included).</summary>
        public long PassingsForwarded { get; private set; }

        /// <summary>Gets the checked packets that could not be passed on (no broker); unanswered.</summary>
        public long NotForwarded { get; private set; }

        /// <summary>Gets the crossings whose chip index the gateway's chip list does not hold.</summary>
        public long UnresolvedChips { get; private set; }

        /// <summary>Gets the acks sent.</summary>
        public long Acked { get; private set; }

        /// <summary>Gets the answers dropped because they could not start before the unit stopped listening.</summary>
        public long AcksLate { get; private set; }

        /// <summary>Gets why the last packet was refused, or <c>null</c>.</summary>
        public string LastRejection { get; private set; }

        /// <summary>Sets the radio up and starts listening.</summary>
        /// <returns><c>true</c> when listening; otherwise <see cref="Sx127xRadio.Fault"/> says why and it is tried again.</returns>
        public bool Start()
        {
            if (Radio.Begin(_options.Radio) && Radio.StartReceive())
            {
                return true;
            }

            _nextRadioTry = _clock.GetMicroseconds() + _options.RadioRetryMicros;
            return false;
        }

        /// <summary>Does one round: finishes an answer on air, takes what arrived, sends the next answer when allowed.</summary>
        public void Poll()
        {
            long now = _clock.GetMicroseconds();
            if (!Radio.IsReady)
            {
                if (now < _nextRadioTry || !Start())
                {
                    return;
                }
            }

            if (_sending)
            {
                RadioResult sent = Radio.PollTransmit();
                if (sent == RadioResult.Pending)
                {
                    return;
                }

                _sending = false;
                _duty.Record(now, sent == RadioResult.Done ? Radio.LastAirtimeMicros : now - Radio.LastTransmitStartedMicros);
                if (sent == RadioResult.Done)
                {
                    Acked++;
                }

                Radio.StartReceive();
            }

            RadioResult result;
            int length;
            while ((result = Radio.TryReceive(_packet, out length)) != RadioResult.Pending)
            {
                Heard++;
                if (result == RadioResult.Done)
                {
                    Take(length, now);
                }
                else
                {
                    Damaged++;
                }
            }

            SendNextAnswer(_clock.GetMicroseconds());
        }

        /// <summary>The delivery says a packet's passings are stored: the unit gets its ack (if it still listens).</summary>
        /// <param name="ticket">The ticket <see cref="ILoRaDelivery.Deliver"/> was given.</param>
        /// <param name="ackedSequence">The collector's contiguous mark for the unit's journal.</param>
        public void Answer(int ticket, long ackedSequence)
        {
            int slot = ticket & 0xFF;
            if (slot >= MaxAnswers || _answerState[slot] != 1 || _answerGeneration[slot] != (ticket >> 8))
            {
                // Expired meanwhile, or answered already.
                return;
            }

            _answerAcked[slot] = ackedSequence;
            _answerState[slot] = 2;
        }

        /// <summary>Gets the packets heard from a unit (by key slot), refused ones included.</summary>
        /// <param name="slot">Key slot.</param>
        /// <returns>Packets.</returns>
        public long PacketsOf(int slot)
        {
            return _packets[slot];
        }

        /// <summary>Gets the passings passed on for a unit.</summary>
        /// <param name="slot">Key slot.</param>
        /// <returns>Passings.</returns>
        public long PassingsOf(int slot)
        {
            return _passings[slot];
        }

        /// <summary>Gets the packets refused for a unit (bad tag, replay, malformed).</summary>
        /// <param name="slot">Key slot.</param>
        /// <returns>Packets.</returns>
        public long RejectedOf(int slot)
        {
            return _unitRejected[slot];
        }

        /// <summary>Gets the RSSI of a unit's last packet, dBm.</summary>
        /// <param name="slot">Key slot.</param>
        /// <returns>dBm.</returns>
        public int RssiOf(int slot)
        {
            return _rssi[slot];
        }

        /// <summary>Gets the SNR of a unit's last packet, quarter dB.</summary>
        /// <param name="slot">Key slot.</param>
        /// <returns>Quarter dB.</returns>
        public int SnrOf(int slot)
        {
            return _snr[slot];
        }

        /// <summary>Gets when a unit was last heard, local µs, or −1.</summary>
        /// <param name="slot">Key slot.</param>
        /// <returns>µs.</returns>
        public long LastHeardOf(int slot)
        {
            return _lastHeard[slot];
        }

        private void Take(int length, long now)
        {
            string error = _reader.Load(_packet, length);
            int slot = length >= 3 ? _keys.SlotOf(_packet[1] | (_packet[2] << 8)) : -1;
            if (slot >= 0)
            {
                _packets[slot]++;
                _rssi[slot] = Radio.LastRssiDbm;
                _snr[slot] = Radio.LastSnrQuarterDb;
                _lastHeard[slot] = now;
            }

            if (error != null)
            {
                Malformed++;
                Reject(slot, error);
                return;
            }

            if (slot < 0)
            {
                UnknownUnit++;
                LastRejection = "unit " + _reader.UnitId.ToString() + " is not in " + LoRaKeyList.FileName;
                return;
            }

            if (!_reader.IsAuthentic(_keys.KeyAt(slot), _hmac))
            {
                BadTag++;
                Reject(slot, "the tag of a packet of unit " + _reader.UnitId.ToString() + " does not check");
                return;
            }

            long last = _reader.FirstSequence + _reader.Count - 1;
            if (_reader.JournalId != _journal[slot] || _claimedAcked[slot] < 0)
            {
                _journal[slot] = _reader.JournalId;
                _claimedAcked[slot] = _reader.AckedSequence;
            }
            else if (last <= _claimedAcked[slot])
            {
                Replays++;
                Reject(slot, "a replay: unit " + _reader.UnitId.ToString() + " has acknowledged up to " + _claimedAcked[slot].ToString() + " already");
                return;
            }
            else if (_reader.AckedSequence > _claimedAcked[slot])
            {
                _claimedAcked[slot] = _reader.AckedSequence;
            }

            int ticket = NewAnswer(slot, now);
            if (Delivery == null || !Delivery.Deliver(_reader, ticket))
            {
                NotForwarded++;
                _answerState[ticket & 0xFF] = 0;
                return;
            }

            Forwarded++;
            PassingsForwarded += _reader.Count;
            _passings[slot] += _reader.Count;
            UnresolvedChips += _reader.Unresolved;
        }

        private void Reject(int slot, string why)
        {
            LastRejection = why;
            if (slot >= 0)
            {
                _unitRejected[slot]++;
            }
        }

        private int NewAnswer(int slot, long now)
        {
            // A newer packet of the same unit supersedes its answer still waiting; else the first free or oldest slot.
            int free = -1;
            int oldest = 0;
            for (int i = 0; i < MaxAnswers; i++)
            {
                if (_answerState[i] != 0 && _answerSlot[i] == slot)
                {
                    free = i;
                    break;
                }

                if (_answerState[i] == 0 && free < 0)
                {
                    free = i;
                }

                if (_answerDue[i] < _answerDue[oldest])
                {
                    oldest = i;
                }
            }

            int a = free >= 0 ? free : oldest;
            if (_answerState[a] != 0)
            {
                AcksLate++;
            }

            _answerGeneration[a] = (_answerGeneration[a] + 1) & 0x7FFFFF;
            _answerSlot[a] = slot;
            _answerJournal[a] = _reader.JournalId;
            _answerFirst[a] = _reader.FirstSequence;
            _answerCount[a] = _reader.Count;
            _answerDue[a] = now + _options.AckWaitMicros - AnswerMarginMicros;
            _answerFrom[a] = now + AnswerTurnaroundMicros;
            _answerState[a] = 1;
            return a | (_answerGeneration[a] << 8);
        }

        private void SendNextAnswer(long now)
        {
            int next = -1;
            for (int i = 0; i < MaxAnswers; i++)
            {
                if (_answerState[i] == 0)
                {
                    continue;
                }

                if (_answerDue[i] <= now)
                {
                    _answerState[i] = 0;
                    AcksLate++;
                    continue;
                }

                if (_answerState[i] == 2 && _answerFrom[i] <= now && (next < 0 || _answerDue[i] < _answerDue[next]))
                {
                    next = i;
                }
            }

            if (next < 0 || _sending || !_duty.MayTransmit(now))
            {
                return;
            }

            _answerState[next] = 0;
            LoRaAck ack = _ack;
            ack.UnitId = _keys.UnitAt(_answerSlot[next]);
            ack.JournalId = _answerJournal[next];
            ack.AckedSequence = _answerAcked[next] < 0 ? 0 : _answerAcked[next] & 0xFFFFFFFFL;
            ack.PacketFirstSequence = _answerFirst[next] & 0xFFFFFFFFL;
            ack.PacketCount = _answerCount[next] & 0xFF;
            int length = ack.Write(_ackBytes, _keys.KeyAt(_answerSlot[next]), _hmac);
            if (Radio.StartTransmit(_ackBytes, length))
            {
                _sending = true;
            }
        }
    }
}
