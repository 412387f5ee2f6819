using TimingMat.Core.Hardware;
using TimingMat.Core.Journal;
using TimingMat.Core.Outbox;
using TimingMat.Core.Passings;

namespace TimingMat.Core.Lora
{
    /// <summary>
    /// A gateway board's way to the collector: the passings of each checked packet go, as a batch v1 of the
    /// originating unit flagged LoRa-delivered, to <c>&lt;prefix&gt;/&lt;gateway&gt;/lora</c> (QoS 1); the collector
    /// stores them by (unit, seq) and answers with its ack v1 on <c>&lt;prefix&gt;/&lt;gateway&gt;/ack</c>, which
    /// answers the unit over the air (firmware/docs/wire-formats.md §9.3). A broker PUBACK completes nothing.
    /// </summary>
    /// <remarks>
    /// A packet whose passings do not fit one 4 KB batch (long EPCs) goes as several; the unit is answered once the
    /// collector has acked them all. Each batch is a new array (the link keeps it until the broker's PUBACK): a few
    /// hundred bytes a packet, at most a few packets a second.
    /// </remarks>
    public sealed class LoRaMqttDelivery : ILoRaDelivery
    {
        /// <summary>Last topic level of LoRa-delivered batches.</summary>
        public const string LoraLevel = "lora";


        /// <summary>Batches that may wait for the collector's ack at once.</summary>
        public const int MaxPending = 16;

        private readonly IMqttLink _link;
        private readonly LoRaGateway _gateway;
        private readonly string _topic;
        private readonly string _ackTopic;
        private readonly byte[] _batch = new byte[BatchFormat.MaxBytes];
        private readonly Passing _passing = new Passing();
        private readonly CollectorAck _ack = new CollectorAck();
        private readonly int[] _pendingUnit = new int[MaxPending];
        private readonly int[] _pendingJournal = new int[MaxPending];
        private readonly long[] _pendingFirst = new long[MaxPending];
        private readonly int[] _pendingCount = new int[MaxPending];
        private readonly int[] _pendingTicket = new int[MaxPending];
        private readonly bool[] _pendingUsed = new bool[MaxPending];
        private readonly int[] _partsLeft = new int[LoRaGateway.MaxAnswers];
        private readonly long[] _ackedLow = new long[LoRaGateway.MaxAnswers];

        /// <summary>Initializes a new instance of the <see cref="LoRaMqttDelivery"/> class.</summary>
        /// <param name="link">The gateway's MQTT session.</param>
        /// <param name="gateway">The gateway it answers through.</param>
        /// <param name="prefix">Topic prefix.</param>
        /// <param name="gatewayUnit">The gateway's own unit id (its topics).</param>
        public LoRaMqttDelivery(IMqttLink link, LoRaGateway gateway, string prefix, int gatewayUnit)
        {
            _link = link;
            _gateway = gateway;
            UplinkTopics topics = new UplinkTopics(prefix, gatewayUnit);
            _ackTopic = topics.Acks;
            _topic = prefix + "/" + gatewayUnit.ToString() + "/" + LoraLevel;
        }

        /// <summary>Gets the topic the batches go to.</summary>
        public string Topic
        {
            get { return _topic; }
        }

        /// <summary>Gets the topic the collector answers on.</summary>
        public string AckTopic
        {
            get { return _ackTopic; }
        }

        /// <summary>Gets the batches published.</summary>
        public long BatchesPublished { get; private set; }

        /// <summary>Gets the collector acks that answered a batch.</summary>
        public long CollectorAcks { get; private set; }

        /// <summary>Gets the messages on the ack topic that answered no batch waiting (late, or not an ack).</summary>
        public long IgnoredAcks { get; private set; }

        /// <inheritdoc />
        public bool Deliver(LoRaPacketReader packet, int ticket)
        {
            if (!_link.IsConnected)
            {
                return false;
            }

            int answer = ticket & 0xFF;
            _partsLeft[answer] = 0;
            _ackedLow[answer] = -1;
            Forget(ticket);
            int count = 0;
            int bytes = 0;
            long first = packet.FirstSequence;
            Passing p = _passing;
            while (packet.Next(p))
            {
                if (BatchFormat.HeaderBytes + bytes + PassingBody.FixedBytes + p.EpcLength > BatchFormat.MaxBytes)
                {
                    if (!Publish(packet, first, count, bytes, ticket))
                    {
                        return false;
                    }

                    first += count;
                    count = 0;
                    bytes = 0;
                }

                bytes += PassingBody.Write(p, _batch, BatchFormat.HeaderBytes + bytes);
                count++;
            }

            return Publish(packet, first, count, bytes, ticket);
        }

        /// <summary>Takes a message from the gateway's ack topic.</summary>
        /// <param name="payload">The body.</param>
        /// <returns><c>true</c> when it answered a batch waiting.</returns>
        public bool HandleAck(byte[] payload)
        {
            if (!_ack.Read(payload, payload.Length))
            {
                IgnoredAcks++;
                return false;
            }

            for (int i = 0; i < MaxPending; i++)
            {
                if (_pendingUsed[i] && _pendingUnit[i] == _ack.UnitId && _pendingJournal[i] == _ack.JournalId
                    && _pendingFirst[i] == _ack.BatchFirstSequence && _pendingCount[i] == _ack.BatchCount)
                {
                    _pendingUsed[i] = false;
                    CollectorAcks++;
                    int ticket = _pendingTicket[i];
                    int answer = ticket & 0xFF;
                    if (_ack.AckedSequence > _ackedLow[answer])
                    {
                        _ackedLow[answer] = _ack.AckedSequence;
                    }

                    if (--_partsLeft[answer] == 0)
                    {
                        _gateway.Answer(ticket, _ackedLow[answer]);
                    }

                    return true;
                }
            }

            IgnoredAcks++;
            return false;
        }

        private bool Publish(LoRaPacketReader packet, long first, int count, int bytes, int ticket)
        {
            int length = BatchFormat.Seal(_batch, BatchFormat.FlagLora, packet.UnitId, packet.JournalId, first, packet.AckedSequence, count, bytes);
            byte[] payload = new byte[length];
            System.Array.Copy(_batch, 0, payload, 0, length);
            if (_link.Publish(_topic, payload, 1, false) < 0)
            {
                Forget(ticket);
                return false;
            }

            BatchesPublished++;
            int slot = FreeSlot();
            _pendingUsed[slot] = true;
            _pendingUnit[slot] = packet.UnitId;
            _pendingJournal[slot] = packet.JournalId;
            _pendingFirst[slot] = first;
            _pendingCount[slot] = count;
            _pendingTicket[slot] = ticket;
            _partsLeft[ticket & 0xFF]++;
            return true;
        }

        // Batches of an earlier use of the same answer slot will never answer anything now.
        private void Forget(int ticket)
        {
            for (int i = 0; i < MaxPending; i++)
            {
                if (_pendingUsed[i] && (_pendingTicket[i] & 0xFF) == (ticket & 0xFF))
                {
                    _pendingUsed[i] = false;
                }
            }
        }

        private int FreeSlot()
        {
            int oldest = 0;
            for (int i = 0; i < MaxPending; i++)
            {
                if (!_pendingUsed[i])
                {
                    return i;
                }

                if (_pendingTicket[i] < _pendingTicket[oldest])
                {
                    oldest = i;
                }
            }

            return oldest;
        }
    }
}
