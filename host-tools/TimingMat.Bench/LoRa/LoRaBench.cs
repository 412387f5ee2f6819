using TimingMat.Core.Clock;
using TimingMat.Core.Journal;
using TimingMat.Core.Lora;
using TimingMat.Core.Passings;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Radio;
using TimingMat.Emulators.Statistics;
using TimingMat.Emulators.Storage;
using TimingMat.Host.Crypto;
using static TimingMat.Host.Clock.Micros;

namespace TimingMat.Bench.LoRa;

/// <summary>One radio setting the LoRa bench runs: spreading factor, bandwidth and band (carrier, duty cycle, dwell).</summary>
/// <param name="SpreadingFactor">7–12.</param>
/// <param name="BandwidthHz">125,000, 250,000 or 500,000.</param>
/// <param name="Band">The band's name: <c>eu868-1</c>, <c>eu868-10</c> or <c>us915</c>.</param>
/// <param name="NewestFirst">Whether the unit sends its newest passings first.</param>
internal sealed record LoRaBenchSetting(int SpreadingFactor, long BandwidthHz, string Band, bool NewestFirst)
{
    /// <summary>The bands the bench knows: carrier and duty cycle (the dwell limit follows from the carrier).</summary>
    public static readonly IReadOnlyDictionary<string, (long FrequencyHz, int DutyPermille, string What)> Bands = new Dictionary<string, (long, int, string)>
    {
        ["eu868-1"] = (868_100_000, 10, "EU868 g/g1, 1 % duty cycle"),
        ["eu868-10"] = (869_525_000, 100, "EU868 g3, 10 % duty cycle"),
        ["us915"] = (915_000_000, 1000, "US915, 400 ms dwell, no duty cycle"),
    };

    /// <summary>Makes the unit's options for this setting.</summary>
    /// <returns>The options (fallback at once unless the caller changes it).</returns>
    public LoRaOptions Options()
    {
        var band = Bands[Band];
        var options = new LoRaOptions { DutyCyclePermille = band.DutyPermille, NewestFirst = NewestFirst, FallbackAfterMicros = 0 };
        options.Radio.SpreadingFactor = SpreadingFactor;
        options.Radio.BandwidthHz = BandwidthHz;
        options.Radio.FrequencyHz = band.FrequencyHz;
        return options;
    }
}

/// <summary>What one setting can carry: a unit with an endless backlog, for a simulated hour or more.</summary>
/// <param name="Setting">The setting.</param>
/// <param name="Fits">Whether a packet fits the airtime limit at all.</param>
/// <param name="MaxPacketBytes">The longest packet allowed.</param>
/// <param name="FullPacketMs">A full packet's time on air, ms.</param>
/// <param name="PassingsPerPacket">Passings a full packet carried on average.</param>
/// <param name="PassingsPerHour">Passings the gateway acknowledged per hour.</param>
/// <param name="UnitAirtimePercent">The unit's share of airtime.</param>
/// <param name="GatewayAirtimePercent">The gateway's share of airtime (its acks).</param>
internal sealed record LoRaCapacity(LoRaBenchSetting Setting, bool Fits, int MaxPacketBytes, double FullPacketMs, double PassingsPerPacket, long PassingsPerHour, double UnitAirtimePercent, double GatewayAirtimePercent);

/// <summary>An outage at one setting: passings keep coming at a rate, MQTT is down, LoRa carries what it can.</summary>
/// <param name="Setting">The setting.</param>
/// <param name="OutageMinutes">How long MQTT is down.</param>
/// <param name="RatePerHour">Passings an hour at the mat.</param>
/// <param name="Arrived">Passings made during the outage.</param>
/// <param name="DeliveredDuringOutage">Of those, delivered over LoRa before the outage ended.</param>
/// <param name="BacklogAtEnd">Passings still waiting when the outage ended (MQTT would carry them at once).</param>
/// <param name="ClearedAfterMinutes">Minutes from the outage's start until LoRa alone had delivered everything (passings still coming), or null when it cannot keep up within the run.</param>
/// <param name="LatencyP50Seconds">Crossing to delivery over LoRa, median, s.</param>
/// <param name="LatencyP99Seconds">Crossing to delivery over LoRa, 99th percentile, s.</param>
internal sealed record LoRaOutage(LoRaBenchSetting Setting, int OutageMinutes, int RatePerHour, long Arrived, long DeliveredDuringOutage, long BacklogAtEnd, double? ClearedAfterMinutes, double? LatencyP50Seconds, double? LatencyP99Seconds);

/// <summary>
/// The LoRa bench: a unit's real LoRa fallback (<see cref="LoRaUplink"/> over its journal) and the real gateway
/// (<see cref="LoRaGateway"/>) on the emulated air, on simulated time, the gateway answering with the contiguous mark of
/// what it has delivered (as the collector does). Hours take a fraction of a second: while the unit only waits out its
/// duty cycle the clock jumps.
/// </summary>
internal static class LoRaBench
{
    private const long Step = 10_000;
    private const long RaceStartUtcMicros = 1_791_100_800_000_000;
    private static readonly byte[] Key = Convert.FromHexString("8f3a5c0e1b9d4f6a2c7e0b5d8a1f3c6e9b2d4f7a0c3e5b8d1f4a6c9e2b5d7f0a");
    private static readonly LoRaChipList Chips = LoRaChipList.Parse("E28011606000020500000000 = 65000\n");

    /// <summary>Measures what a setting carries from an endless backlog of passings <paramref name="spacingMs"/> apart.</summary>
    /// <param name="setting">The setting.</param>
    /// <param name="spacingMs">Time between two passings of the backlog (a crowd of 4 a second: 250 ms).</param>
    /// <returns>The figures.</returns>
    public static LoRaCapacity Capacity(LoRaBenchSetting setting, int spacingMs)
    {
        var options = setting.Options();
        var maxBytes = LoRaOptions.MaxPacketBytesFor(options);
        var fullMs = maxBytes > 0 ? LoRaAirtime.Micros(maxBytes, options.Radio) / 1000.0 : 0;
        if (options.Validate() != null)
        {
            return new LoRaCapacity(setting, false, maxBytes, fullMs, 0, 0, 0, 0);
        }

        // Twenty full cycles (airtime and off time), at least a quarter of an hour; a backlog that cannot run dry.
        var cycle = (long)(fullMs * 1000 * 1000 / options.DutyCyclePermille) + Second;
        var duration = Math.Max(900 * Second, 20 * cycle);
        var perPacket = (maxBytes - LoRaPassingPacket.OverheadBytes) / 2;
        var backlog = (int)Math.Min(2_000_000, ((duration / cycle) + 2) * perPacket);
        var link = new Link(options, backlog + 1);
        link.Append(backlog, spacingMs * 1000L, 0);
        link.RunUntil(duration, online: false, arrivalsEvery: 0);
        // Up to the end of the last packet's off time, so the figures never claim more than the duty cycle allows.
        var span = Math.Max(duration, link.Uplink.DutyCycle.NextAllowedMicros);
        var hours = span / 3_600_000_000.0;
        var delivered = link.Journal.AckedSequence;
        return new LoRaCapacity(
            setting,
            true,
            maxBytes,
            fullMs,
            link.Uplink.PacketsSent == 0 ? 0 : Math.Round((double)link.Uplink.PassingsSent / link.Uplink.PacketsSent, 1),
            (long)Math.Round(delivered / hours),
            Math.Round(100.0 * link.Uplink.DutyCycle.AirtimeMicros / span, 2),
            Math.Round(100.0 * link.Gateway.DutyCycle.AirtimeMicros / span, 2));
    }

    /// <summary>
    /// Runs an outage: the crowd passes at a rate for the outage's minutes while the mat's network is down, LoRa takes
    /// over after its 30 s fallback and carries on until it has delivered every passing (the network never returns: a
    /// mountain split without phone signal) or the cap.
    /// </summary>
    /// <param name="setting">The setting.</param>
    /// <param name="outageMinutes">How long the crowd passes with the network down.</param>
    /// <param name="ratePerHour">Passings an hour.</param>
    /// <param name="capMinutes">How long after the outage LoRa alone may take to clear the backlog.</param>
    /// <returns>The figures.</returns>
    public static LoRaOutage Outage(LoRaBenchSetting setting, int outageMinutes, int ratePerHour, int capMinutes)
    {
        var options = setting.Options();
        options.FallbackAfterMicros = new LoRaOptions().FallbackAfterMicros;
        if (options.Validate() != null)
        {
            return new LoRaOutage(setting, outageMinutes, ratePerHour, 0, 0, 0, null, null, null);
        }

        var spacing = 3_600_000_000L / ratePerHour;
        var end = outageMinutes * 60 * Second;
        var cap = end + (capMinutes * 60 * Second);
        var link = new Link(options, (int)Math.Min(4_000_000, (end / spacing) + 2));
        link.RunUntil(end, online: false, arrivalsEvery: spacing);
        var arrived = link.Journal.LastSequence;
        var delivered = link.Journal.AckedSequence;
        double? cleared = delivered >= arrived ? Math.Round(link.Clock.Now / 60e6, 1) : null;
        while (cleared == null && link.Clock.Now < cap)
        {
            link.RunUntil(Math.Min(cap, link.Clock.Now + (10 * Second)), online: false, arrivalsEvery: 0);
            if (link.Journal.AckedSequence >= arrived)
            {
                cleared = Math.Round(link.Clock.Now / 60e6, 1);
                break;
            }
        }

        var latencies = link.Delivery.Latencies;
        latencies.Sort();
        return new LoRaOutage(
            setting,
            outageMinutes,
            ratePerHour,
            arrived,
            delivered,
            arrived - delivered,
            cleared,
            latencies.Count == 0 ? null : Math.Round(Percentile.Of(latencies, 0.50) / 1e6, 1),
            latencies.Count == 0 ? null : Math.Round(Percentile.Of(latencies, 0.99) / 1e6, 1));
    }

    /// <summary>A unit's journal and LoRa uplink and the gateway, on one air and one simulated clock.</summary>
    private sealed class Link
    {
        private readonly Passing _passing = new();
        private long _nextArrival;
        private int _made;

        public Link(LoRaOptions options, int passings)
        {
            Clock = new SimulatedClock(0);
            var air = new LoRaAir();
            var bytes = Math.Max(8L << 20, (passings + 1000L) * 80);
            Journal = new PassingJournal(new MemoryFileStore(capacityBytes: 2 * bytes), new JournalOptions(5) { SegmentBytes = 256 * 1024, CapacityBytes = bytes, NewJournalId = 77 });
            if (!Journal.Open())
            {
                throw new InvalidOperationException("the bench's journal did not open");
            }

            Uplink = new LoRaUplink(Journal, new Sx127xRegisterEmulator(air, 5, Clock), Clock, options, DesktopHmacSha256.Instance, Key, Chips);
            Delivery = new BenchDelivery(Clock);
            Gateway = new LoRaGateway(new Sx127xRegisterEmulator(air, -1, Clock), Clock, options, new LoRaKeyList([5], [Key]), Chips, DesktopHmacSha256.Instance) { Delivery = Delivery };
            Delivery.Gateway = Gateway;
            if (!Uplink.Start() || !Gateway.Start())
            {
                throw new InvalidOperationException("the bench's radios did not start: " + (Uplink.Fault ?? Gateway.Radio.Fault));
            }
        }

        public SimulatedClock Clock { get; }

        public PassingJournal Journal { get; }

        public LoRaUplink Uplink { get; }

        public LoRaGateway Gateway { get; }

        public BenchDelivery Delivery { get; }

        // Passings `spacing` apart, the first at `fromMicros` (simulated time of the crossing).
        public void Append(int count, long spacing, long fromMicros)
        {
            for (var i = 0; i < count; i++)
            {
                Make(fromMicros + (i * spacing));
                if (!Journal.Append(_passing))
                {
                    throw new InvalidOperationException("the bench's journal is full");
                }
            }

            Journal.Commit();
        }

        public void RunUntil(long end, bool online, long arrivalsEvery)
        {
            while (Clock.Now < end)
            {
                var now = Clock.Now;
                if (arrivalsEvery > 0 && now >= _nextArrival)
                {
                    var due = (int)(((now - _nextArrival) / arrivalsEvery) + 1);
                    Append(due, arrivalsEvery, _nextArrival);
                    _nextArrival += due * arrivalsEvery;
                }

                Uplink.Poll(online);
                Gateway.Poll();
                var next = now + Step;
                if (!Uplink.IsBusy && !Uplink.Radio.IsTransmitting && Uplink.DutyCycle.NextAllowedMicros > next)
                {
                    // Only waiting out the duty cycle: jump, but not past a new passing or the end.
                    next = Uplink.DutyCycle.NextAllowedMicros;
                    if (arrivalsEvery > 0)
                    {
                        next = Math.Min(next, _nextArrival);
                    }
                }

                Clock.AdvanceTo(Math.Min(Math.Max(next, now + Step), Math.Max(end, now + Step)));
            }
        }

        private void Make(long atMicros)
        {
            var p = _passing;
            p.Kind = PassingKind.Crossing;
            p.TimeUtcMicros = RaceStartUtcMicros + atMicros;
            p.FirstReadUtcMicros = p.TimeUtcMicros - 200_000;
            p.LastReadUtcMicros = p.TimeUtcMicros + 200_000;
            p.ClockState = ClockState.Locked;
            p.UncertaintyMicros = 40;
            p.Flags = PassingFlags.None;
            p.Hits = 18;
            p.EpcLength = Chips.EpcOf(_made++ % Chips.Count, p.Epc);
        }
    }

    /// <summary>The collector's part: holds what it is handed, answers the contiguous mark, notes each passing's latency.</summary>
    private sealed class BenchDelivery(SimulatedClock clock) : ILoRaDelivery
    {
        private readonly HashSet<long> _above = [];
        private readonly Passing _passing = new();
        private long _contiguous;

        public LoRaGateway? Gateway { get; set; }

        public List<long> Latencies { get; } = [];

        public bool Deliver(LoRaPacketReader packet, int ticket)
        {
            while (packet.Next(_passing))
            {
                var seq = _passing.Sequence;
                if (seq > _contiguous && _above.Add(seq))
                {
                    Latencies.Add(RaceStartUtcMicros + clock.Now - _passing.TimeUtcMicros);
                }
            }

            while (_above.Remove(_contiguous + 1))
            {
                _contiguous++;
            }

            Gateway!.Answer(ticket, _contiguous);
            return true;
        }
    }
}
