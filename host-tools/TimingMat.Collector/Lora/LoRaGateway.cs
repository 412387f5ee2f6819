using TimingMat.Core.Hardware;
using TimingMat.Core.Lora;
using TimingMat.Core.Passings;

namespace TimingMat.Collector.Lora;

/// <summary>
/// The LoRa receiver at the timing tent: hears the mats' fallback packets (<see cref="LoRaPassingPacket"/>) on an
/// SX127x, restores each chip's EPC from the race's chip list, stores the passings through the collector (the same
/// ledger and (unit, seq) keys as MQTT), and answers each packet with the unit's contiguous mark (<see cref="LoRaAck"/>),
/// signed with that unit's command key so that nobody else on the channel can make a unit forget passings.
/// </summary>
/// <remarks>
/// Runs the firmware's own radio driver, so a tent receiver is an SX127x on any SPI the host reaches. Answers go out
/// within the gateway's own duty cycle; an answer that could not go before the unit stopped listening is dropped
/// (the unit sends the packet again, the store sees a duplicate). A unit whose key the gateway does not have gets no
/// answer (its passings are stored all the same; it keeps them and sends them again over MQTT later).
/// </remarks>
public sealed class LoRaGateway
{
    private const long RadioRetryMicros = 10_000_000;

    private readonly IMicrosecondClock _clock;
    private readonly PassingCollector _collector;
    private readonly ChipDirectory _chips;
    private readonly LoRaSettings _settings;
    private readonly long _ackValidMicros;
    private readonly DutyCycleBudget _duty;
    private readonly IHmacSha256 _hmac;
    private readonly Func<int, byte[]?> _unitKey;
    private readonly byte[] _packet = new byte[255];
    private readonly byte[] _ackBytes = new byte[LoRaAck.Bytes];
    private readonly List<(LoRaAck Ack, long Due)> _answers = [];
    private bool _sending;
    private long _nextRadioTry;

    /// <summary>Initializes a new instance of the <see cref="LoRaGateway"/> class; call <see cref="Start"/> next.</summary>
    /// <param name="radio">The receiver's SX127x.</param>
    /// <param name="clock">Microsecond clock.</param>
    /// <param name="collector">Where passings are stored.</param>
    /// <param name="chips">The race's chips.</param>
    /// <param name="settings">Radio settings shared with the mats.</param>
    /// <param name="hmac">HMAC-SHA256, to sign the answers.</param>
    /// <param name="unitKey">Gives a unit's command key (its <c>command.key</c>), or null for a unit the gateway has no key for.</param>
    /// <param name="dutyCyclePermille">The receiver's own duty cycle for answers.</param>
    /// <param name="ackValidMicros">How long a unit listens for its answer (the units' <see cref="LoRaOptions.AckWaitMicros"/>).</param>
    public LoRaGateway(ISpiDevice radio, IMicrosecondClock clock, PassingCollector collector, ChipDirectory chips, LoRaSettings settings, IHmacSha256 hmac, Func<int, byte[]?> unitKey, int dutyCyclePermille = 100, long ackValidMicros = 1_000_000)
    {
        _hmac = hmac;
        _unitKey = unitKey;
        _clock = clock;
        _collector = collector;
        _chips = chips;
        _settings = settings;
        _ackValidMicros = ackValidMicros;
        _duty = new DutyCycleBudget(dutyCyclePermille);
        Radio = new Sx127xRadio(radio, clock);
    }

    /// <summary>Gets the radio driver.</summary>
    public Sx127xRadio Radio { get; }

    /// <summary>Gets the number of passing packets received and stored.</summary>
    public long PacketsReceived { get; private set; }

    /// <summary>Gets the number of packets heard that were not passing packets of this format.</summary>
    public long PacketsRejected { get; private set; }

    /// <summary>Gets why the last packet was rejected, or null.</summary>
    public string? LastRejection { get; private set; }

    /// <summary>Gets the number of passings received (duplicates included).</summary>
    public long PassingsReceived { get; private set; }

    /// <summary>Gets the number of passings whose chip tail matched no chip (or two) of the race; stored with the 3-byte tail as EPC.</summary>
    public long UnresolvedChips { get; private set; }

    /// <summary>Gets the number of answers sent.</summary>
    public long AcksSent { get; private set; }

    /// <summary>Gets the number of answers dropped because the duty cycle held them past the unit's listening time.</summary>
    public long AcksDropped { get; private set; }

    /// <summary>Gets the number of packets not answered because the gateway has no key for their unit.</summary>
    public long UnitsWithoutKey { get; private set; }

    /// <summary>Gets the receiver's airtime so far, µs.</summary>
    public long AirtimeMicros => _duty.AirtimeMicros;

    /// <summary>Sets the radio up and starts listening.</summary>
    /// <returns><c>true</c> when listening; otherwise <see cref="Sx127xRadio.Fault"/> says why.</returns>
    public bool Start()
    {
        if (Radio.Begin(_settings) && Radio.StartReceive())
        {
            return true;
        }

        _nextRadioTry = _clock.GetMicroseconds() + RadioRetryMicros;
        return false;
    }

    /// <summary>Does one round: finishes an answer on air, stores what arrived, sends the next answer when allowed.</summary>
    public void Poll()
    {
        var now = _clock.GetMicroseconds();
        if (!Radio.IsReady)
        {
            if (now < _nextRadioTry || !Start())
            {
                return;
            }
        }

        if (_sending)
        {
            var sent = Radio.PollTransmit();
            if (sent == RadioResult.Pending)
            {
                return;
            }

            _sending = false;
            if (sent == RadioResult.Done)
            {
                _duty.Record(now, Radio.LastAirtimeMicros);
                AcksSent++;
            }

            Radio.StartReceive();
        }

        RadioResult result;
        while ((result = Radio.TryReceive(_packet, out var length)) != RadioResult.Pending)
        {
            if (result == RadioResult.Done)
            {
                Take(length, now);
            }
        }

        SendNextAnswer(now);
    }

    private void Take(int length, long now)
    {
        var error = LoRaPassingPacket.Check(_packet, length);
        if (error != null)
        {
            PacketsRejected++;
            LastRejection = error;
            return;
        }

        PacketsReceived++;
        var unit = LoRaPassingPacket.UnitId(_packet);
        var journal = LoRaPassingPacket.JournalId(_packet);
        var count = LoRaPassingPacket.Count(_packet);
        var passings = new List<Passing>(count);
        for (var i = 0; i < count; i++)
        {
            var passing = new Passing();
            LoRaPassingPacket.ReadRecord(_packet, i, passing);
            if (passing.Kind == PassingKind.Crossing)
            {
                if (_chips.TryResolve(passing.Epc.AsSpan(0, 3), out var epc) && epc.Length <= passing.Epc.Length)
                {
                    epc.CopyTo(passing.Epc, 0);
                    passing.EpcLength = epc.Length;
                }
                else
                {
                    UnresolvedChips++;
                }
            }

            passings.Add(passing);
        }

        PassingsReceived += count;
        var contiguous = _collector.StoreRun(unit, journal, LoRaPassingPacket.AckedSequence(_packet), passings, PassingStore.SourceLora);
        var ack = new LoRaAck
        {
            UnitId = unit,
            JournalId = journal,
            AckedSequence = contiguous,
            PacketFirstSequence = LoRaPassingPacket.FirstSequence(_packet),
            PacketCount = count,
        };

        if (_unitKey(unit) == null)
        {
            UnitsWithoutKey++;
            return;
        }

        // One answer per unit is enough: a newer one supersedes what still waits.
        _answers.RemoveAll(a => a.Ack.UnitId == unit);
        _answers.Add((ack, now + _ackValidMicros));
    }

    private void SendNextAnswer(long now)
    {
        while (_answers.Count > 0 && _answers[0].Due <= now)
        {
            _answers.RemoveAt(0);
            AcksDropped++;
        }

        if (_answers.Count == 0 || _sending || !_duty.MayTransmit(now))
        {
            return;
        }

        var (ack, _) = _answers[0];
        _answers.RemoveAt(0);
        var length = ack.Write(_ackBytes, _unitKey(ack.UnitId)!, _hmac);
        if (Radio.StartTransmit(_ackBytes, length))
        {
            _sending = true;
        }
    }
}
