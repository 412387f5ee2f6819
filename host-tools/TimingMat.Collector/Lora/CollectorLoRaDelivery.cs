using TimingMat.Core.Lora;
using TimingMat.Core.Passings;

namespace TimingMat.Collector.Lora;

/// <summary>
/// The desktop receiver's way to the collector (<c>timingmat collect --lora</c>, and the race simulator's tent): the
/// passings of each packet the firmware's <see cref="LoRaGateway"/> checked go straight into the collector's store, in
/// one transaction, and the unit is answered with the contiguous mark at once — no broker in between, so a broker
/// outage in the tent does not stop LoRa.
/// </summary>
public sealed class CollectorLoRaDelivery : ILoRaDelivery
{
    private readonly PassingCollector _collector;

    /// <summary>Initializes a new instance of the <see cref="CollectorLoRaDelivery"/> class.</summary>
    /// <param name="collector">Where the passings are stored.</param>
    public CollectorLoRaDelivery(PassingCollector collector)
    {
        _collector = collector;
    }

    /// <summary>Gets or sets the gateway answered through (set it before the first packet).</summary>
    public LoRaGateway? Gateway { get; set; }

    /// <inheritdoc />
    public bool Deliver(LoRaPacketReader packet, int ticket)
    {
        var passings = new List<Passing>(packet.Count);
        var passing = new Passing();
        while (packet.Next(passing))
        {
            var copy = new Passing();
            copy.CopyFrom(passing);
            passings.Add(copy);
        }

        var contiguous = _collector.StoreRun(packet.UnitId, packet.JournalId, packet.AckedSequence, passings, PassingStore.SourceLora);
        Gateway?.Answer(ticket, contiguous);
        return true;
    }

    /// <summary>Makes a gateway on a radio that delivers into a collector: what <c>timingmat collect --lora</c> runs.</summary>
    /// <param name="radio">The receiver's SX127x.</param>
    /// <param name="clock">Microsecond clock.</param>
    /// <param name="collector">Where the passings go.</param>
    /// <param name="options">Channel, ack wait and the receiver's duty cycle.</param>
    /// <param name="keys">Every unit's command key.</param>
    /// <param name="chips">The race's chip list, or null.</param>
    /// <param name="hmac">HMAC-SHA256.</param>
    /// <returns>The gateway, not started.</returns>
    public static LoRaGateway GatewayFor(TimingMat.Core.Hardware.ISpiDevice radio, TimingMat.Core.Hardware.IMicrosecondClock clock, PassingCollector collector, LoRaOptions options, LoRaKeyList keys, LoRaChipList? chips, TimingMat.Core.Hardware.IHmacSha256 hmac)
    {
        var delivery = new CollectorLoRaDelivery(collector);
        var gateway = new LoRaGateway(radio, clock, options, keys, chips, hmac) { Delivery = delivery };
        delivery.Gateway = gateway;
        return gateway;
    }
}
