using TimingMat.Core.Clock;
using TimingMat.Core.Hardware;
using TimingMat.Core.Journal;
using TimingMat.Core.Outbox;
using TimingMat.Core.Passings;
using TimingMat.Core.Tests.Journal;
using TimingMat.Core.Unit;
using TimingMat.Emulators.Gps;
using TimingMat.Emulators.Mqtt;
using TimingMat.Emulators.Reader;
using TimingMat.Emulators.Serial;
using TimingMat.Emulators.Storage;
using TimingMat.Host.Crypto;

namespace TimingMat.Core.Tests.Unit;

/// <summary>
/// One boot of a mat unit on emulated hardware, wired as the race simulator wires it (SimulatedMat): crystal and GPS
/// (<see cref="GpsRig"/>), a reader module on a UART fed by chips put in its field, the journal's storage and a link to
/// the emulated broker, and the real <see cref="MatUnit"/> polled every step on simulated time.
/// </summary>
internal sealed class MatUnitRig
{
    public const int UnitId = 12;

    // An hour before the race start: the unit boots in the morning with its counter near 1 s.
    public const long BootUtc = SamplePassings.RaceStartUtcMicros - 3_600_000_000;
    public const long LocalAtBoot = 1_000_000;
    public const long StepMicros = 5_000;

    private static readonly CrystalOscillator s_crystal = new(6.5, referenceUtcMicros: BootUtc);

    /// <summary>The rig's command key (32 bytes, in hex as <c>command.key</c> takes it).</summary>
    public const string KeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    public MatUnitRig(
        MemoryFileStore store,
        MqttBrokerEmulator broker,
        double gpsAcquisitionSeconds,
        ReaderProtocol protocol = ReaderProtocol.Mercury,
        long bootUtc = BootUtc,
        Action<MatUnitSettings>? configure = null,
        int modules = 1,
        string? extraConfig = null,
        IBatterySensor? battery = null,
        Func<IMqttLink, IMqttLink>? wrapLink = null)
    {
        Store = store;
        Rig = new GpsRig(s_crystal, bootUtc, new GpsEmulatorOptions { Seed = 4, AcquisitionSeconds = gpsAcquisitionSeconds, Latency = PpsLatencyModel.Uniform2 }, baudRate: 9600, localAtBoot: LocalAtBoot);
        // One UART per reader module, each module with the chips in its own field.
        var ports = new IBytePort[modules];
        for (var i = 0; i < modules; i++)
        {
            var line = new SerialLine(Rig.Clock, 115_200);
            line.UnitEnd.Open();
            line.ModuleEnd.Open();
            var tags = i == 0 ? Tags : new ChipsInFieldTagSource(seed: 21 + i);
            TagSources.Add(tags);
            Modules.Add(protocol == ReaderProtocol.Mercury
                ? new MercuryNanoEmulator(line, tags, seed: 11 + i)
                : new R2000ModuleEmulator(line, tags, seed: 13 + i));
            ports[i] = line.UnitEnd;
        }

        Link = broker.CreateLink();
        Config = UnitConfig.Parse(
            $"unit.id = {UnitId}\nmat.role = split\nreader.type = {ReaderTypeText.Name(protocol)}\nreader.region = eu\ncommand.key = {KeyHex}\n{extraConfig}");
        var settings = Config.ToSettings();
        configure?.Invoke(settings);
        Hardware = new UnitHardware
        {
            Clock = Rig.Clock,
            Readers = ports,
            Gps = Rig.GpsPort,
            Pps = Rig.Pps,
            Store = store,
            Mqtt = wrapLink == null ? Link : wrapLink(Link),
            Hmac = DesktopHmacSha256.Instance,
            Rebooter = Rebooter,
            Battery = battery,
            FirmwareVersion = "test-1.0",
        };
        Unit = new MatUnit(Config, settings, Hardware);
    }

    /// <summary>Gets the command key as bytes.</summary>
    public static byte[] Key => Convert.FromHexString(KeyHex);

    public UnitConfig Config { get; }

    public UnitHardware Hardware { get; }

    /// <summary>Gets the rebooter, which only counts (the test boots the next unit itself).</summary>
    public CountingRebooter Rebooter { get; } = new();

    public GpsRig Rig { get; }

    public MemoryFileStore Store { get; }

    public ChipsInFieldTagSource Tags { get; } = new(seed: 21);

    /// <summary>Gets the chip field of every reader module, by reader index (the first is <see cref="Tags"/>).</summary>
    public List<ChipsInFieldTagSource> TagSources { get; } = [];

    /// <summary>Gets the (first) reader module.</summary>
    public ReaderModuleEmulator Module => Modules[0];

    /// <summary>Gets every reader module, by reader index.</summary>
    public List<ReaderModuleEmulator> Modules { get; } = [];

    public EmulatedMqttLink Link { get; }

    public MatUnit Unit { get; }

    /// <summary>Gets the unit's local µs counter now.</summary>
    public long Local => Rig.Clock.Now;

    /// <summary>Signs a command for this rig's unit: <c>tm1 12 COUNTER TEXT TAG</c>.</summary>
    public static byte[] Signed(long counter, string text, int unit = UnitId, string? keyHex = null) =>
        System.Text.Encoding.ASCII.GetBytes(SignedCommand.Sign($"tm1 {unit} {counter} {text}", keyHex == null ? Key : Convert.FromHexString(keyHex), DesktopHmacSha256.Instance, 16));

    /// <summary>Starts the unit in timing mode, armed from boot with no cut-off (unless told otherwise).</summary>
    public MatUnitRig StartTiming(long? opensUtc = null)
    {
        if (!Unit.Start())
        {
            throw new InvalidOperationException("the journal did not open");
        }

        Unit.RaceDay.ArmAt(opensUtc ?? Rig.Timebase.TrueUtcAtBoot);
        Unit.RaceDay.EnterTimingMode();
        return this;
    }

    /// <summary>A chip crossing: in the field for a second from <paramref name="fromLocal"/>, 100 reads/s, peak signal halfway.</summary>
    public void Crossing(byte[] epc, long fromLocal) =>
        Tags.Add(epc, fromLocal, fromLocal + 1_000_000, 100, RssiCurve.Peak(-7000, -4500));

    /// <summary>Runs the unit until its counter reads a local time: GPS and reader bytes, then one poll, every step.</summary>
    public void RunToLocal(long local)
    {
        while (Local < local)
        {
            Step();
        }
    }

    /// <summary>Runs until a condition holds, at most a span of local time; returns whether it held.</summary>
    public bool RunUntil(Func<bool> condition, long maxMicros)
    {
        var until = Local + maxMicros;
        while (Local < until)
        {
            Step();
            if (condition())
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The true UTC of one of this boot's local µs values (the ground truth of a timestamp).</summary>
    public long TrueUtc(long local) => Rig.Timebase.ToTrueUtc(local);

    /// <summary>Reads every durable record of the unit's journal.</summary>
    public List<Passing> JournalPassings() => ReadAll(Unit.Uplink.Journal);

    public static List<Passing> ReadAll(PassingJournal journal)
    {
        var cursor = journal.CreateCursor();
        var passings = new List<Passing>();
        var passing = new Passing();
        while (cursor.TryRead(passing))
        {
            var copy = new Passing();
            copy.CopyFrom(passing);
            passings.Add(copy);
        }

        return passings;
    }

    /// <summary>Subscribes a collector-side client to every unit's passings on the broker.</summary>
    public static EmulatedMqttLink Subscriber(MqttBrokerEmulator broker)
    {
        var link = broker.CreateLink();
        if (!link.Connect(new MqttConnectOptions("test-collector")) || !link.Subscribe(UplinkTopics.AllUnits(UplinkTopics.DefaultPrefix, UplinkTopics.PassingsLevel), 1))
        {
            throw new InvalidOperationException("the subscriber could not connect");
        }

        return link;
    }

    /// <summary>Takes every batch the subscriber received and decodes its passings.</summary>
    public static List<Passing> TakePassings(EmulatedMqttLink subscriber)
    {
        var passings = new List<Passing>();
        var batch = new BatchReader();
        MqttMessage? message;
        while ((message = subscriber.TakeReceived()) != null)
        {
            if (!batch.Load(message.Payload, message.Payload.Length))
            {
                throw new InvalidOperationException("bad batch: " + batch.Error);
            }

            var passing = new Passing();
            while (batch.TryRead(passing))
            {
                passings.Add(passing);
                passing = new Passing();
            }
        }

        return passings;
    }

    private void Step()
    {
        Rig.Gps.StepBy(StepMicros);
        foreach (var module in Modules)
        {
            module.Poll();
        }

        Unit.Poll();
    }
}

/// <summary>An <see cref="IRebooter"/> that counts the reboots asked for; the test then builds the next boot's unit on the same storage.</summary>
internal sealed class CountingRebooter : IRebooter
{
    public int Reboots { get; private set; }

    public void Reboot() => Reboots++;
}
