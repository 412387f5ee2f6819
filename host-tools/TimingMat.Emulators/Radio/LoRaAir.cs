namespace TimingMat.Emulators.Radio;

/// <summary>
/// The radio channel between emulated LoRa radios (<see cref="Sx127xRegisterEmulator"/>): every packet sent, who can
/// hear it, and what spoils it. Two packets on one channel that overlap in time are both received damaged (no capture
/// effect, the pessimistic case); on top of that each packet misses each receiver with a fixed probability.
/// </summary>
/// <remarks>
/// Thread-safe: mats step in parallel. <see cref="Horizon"/> makes reception deterministic when they do: a receiver
/// only judges packets that ended before it, so every packet that could overlap one has been sent by then. The race
/// engine moves it forward between windows; alone (tests) it stays at the end of time.
/// </remarks>
public sealed class LoRaAir
{
    private static readonly long KeepMicros = 120_000_000;
    private readonly object _lock = new();
    private readonly List<LoRaTransmission> _log = [];
    private readonly double _lossRate;
    private readonly int _seed;

    /// <summary>Initializes a new instance of the <see cref="LoRaAir"/> class.</summary>
    /// <param name="lossRate">Chance, 0–1, that a packet misses one receiver (fading, a bus parked over the antenna).</param>
    /// <param name="seed">Seed of the loss draws.</param>
    public LoRaAir(double lossRate = 0, int seed = 1)
    {
        if (lossRate is < 0 or > 1 || double.IsNaN(lossRate))
        {
            throw new ArgumentOutOfRangeException(nameof(lossRate), lossRate, "loss rate must be 0–1");
        }

        _lossRate = lossRate;
        _seed = seed;
    }

    /// <summary>Gets or sets the true time up to which every packet has been sent (see remarks).</summary>
    public long Horizon { get; set; } = long.MaxValue;

    /// <summary>Gets the number of packets sent.</summary>
    public long Transmissions { get; private set; }

    /// <summary>Gets the number of receptions spoilt by an overlapping packet.</summary>
    public long Collisions { get; private set; }

    /// <summary>Gets the number of receptions lost to the loss rate.</summary>
    public long Losses { get; private set; }

    /// <summary>Puts a packet on the air.</summary>
    /// <param name="transmission">The packet.</param>
    public void Send(LoRaTransmission transmission)
    {
        lock (_lock)
        {
            _log.Add(transmission);
            Transmissions++;
            if (_log.Count > 256 && _log[0].EndMicros < transmission.StartMicros - KeepMicros)
            {
                _log.RemoveAll(t => t.EndMicros < transmission.StartMicros - KeepMicros);
            }
        }
    }

    /// <summary>Collects what one receiver hears: packets on its channel that began after it started listening and ended in a stretch of time.</summary>
    /// <param name="receiver">The receiver's node id (it never hears itself).</param>
    /// <param name="channel">Its channel.</param>
    /// <param name="listeningSince">True time it started listening.</param>
    /// <param name="after">End of the stretch already collected.</param>
    /// <param name="upTo">Now (limited to <see cref="Horizon"/> by the caller).</param>
    /// <param name="into">Receives (packet, damaged) in order of their end.</param>
    public void Collect(int receiver, LoRaChannel channel, long listeningSince, long after, long upTo, List<(LoRaTransmission Packet, bool Damaged)> into)
    {
        lock (_lock)
        {
            foreach (var t in _log)
            {
                if (t.EndMicros <= after || t.EndMicros > upTo || t.StartMicros < listeningSince || t.Sender == receiver || t.Channel != channel)
                {
                    continue;
                }

                if (Lost(t, receiver))
                {
                    Losses++;
                    continue;
                }

                var damaged = _log.Any(o => !ReferenceEquals(o, t) && o.Channel == channel && o.StartMicros < t.EndMicros && o.EndMicros > t.StartMicros);
                if (damaged)
                {
                    Collisions++;
                }

                into.Add((t, damaged));
            }
        }
    }

    // Decided by hashing (packet, receiver), not by a shared generator, so parallel receivers draw the same.
    private bool Lost(LoRaTransmission t, int receiver)
    {
        if (_lossRate <= 0)
        {
            return false;
        }

        // HashCode.Combine is seeded per process; this mix is the same in every run.
        var h = Mix(Mix(Mix((ulong)_seed) ^ (ulong)t.Sender) ^ (ulong)t.StartMicros) ^ (ulong)receiver;
        return (Mix(h) % 1_000_000) < _lossRate * 1_000_000;
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9e3779b97f4a7c15UL;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
        return z ^ (z >> 31);
    }
}
