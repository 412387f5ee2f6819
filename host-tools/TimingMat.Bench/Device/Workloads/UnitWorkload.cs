using System.Reflection;
using System.Text.Json;
using TimingMat.Core.Hardware;
using TimingMat.Core.Outbox;
using TimingMat.Core.Passings;
using TimingMat.Core.Reader.Mercury;
using TimingMat.Core.Unit;
using TimingMat.Emulators.Crossings;
using TimingMat.Emulators.Gps;
using TimingMat.Emulators.Mqtt;
using TimingMat.Emulators.Reader;
using TimingMat.Emulators.Serial;
using TimingMat.Emulators.Storage;
using TimingMat.Host.Crypto;
using static TimingMat.Host.Clock.Micros;

namespace TimingMat.Bench.Device.Workloads;

/// <summary>
/// Runs one workload inside the load context of the instrumented core: a mat unit (the real <see cref="MatUnit"/>)
/// on the emulators — crystal and GPS with PPS, reader modules on UARTs fed by the crossing model, the journal on
/// emulated flash, MQTT to an emulated broker with a collector that acknowledges every batch — polled as the device
/// polls it (poll, then sleep the poll period). Only the unit's polls are counted; the emulators and the collector
/// call into the core too, outside them.
/// </summary>
internal static class UnitWorkload
{
    private const long StartUtc = 1_790_000_000_000_000;

    /// <summary>Entry point from <see cref="Instrumentation.InstrumentedCore"/> (by reflection, across load contexts).</summary>
    /// <param name="requestJson">A <see cref="WorkloadRequest"/>.</param>
    /// <returns>A <see cref="WorkloadResult"/> as JSON.</returns>
    public static string Run(string requestJson)
    {
        var request = JsonSerializer.Deserialize<WorkloadRequest>(requestJson) ?? throw new ArgumentException("no request", nameof(requestJson));
        return JsonSerializer.Serialize(Run(request, Counters.Attach(request.MethodCount)));
    }

    /// <summary>Runs a workload on whatever core is loaded, counting through the given counters.</summary>
    /// <param name="request">The workload.</param>
    /// <param name="counters">The instrumented core's counters.</param>
    /// <returns>What was counted.</returns>
    public static WorkloadResult Run(WorkloadRequest request, Counters counters)
    {
        var rig = new Rig(request);
        rig.RunUncounted(request.WarmupSeconds * Second);
        if (rig.Unit.Clock.State != Core.Clock.ClockState.Locked)
        {
            throw new InvalidOperationException("the unit's clock did not lock during the warm-up");
        }

        rig.StartRunners();
        var before = rig.Snapshot();
        counters.Reset();
        var end = rig.Local + (request.Seconds * Second);
        var start = rig.Local;
        long polls = 0, maxInstructions = 0, maxCalls = 0, over = 0;
        double maxAt = 0;
        var beforePoll = new long[counters.Instructions.Length];
        var maxPoll = new long[counters.Instructions.Length];
        while (rig.Local < end)
        {
            var beforeInstructions = counters.TotalInstructions;
            var beforeCalls = counters.TotalCalls;
            Array.Copy(counters.Instructions, beforePoll, beforePoll.Length);
            counters.On = true;
            rig.Unit.Poll();
            counters.On = false;
            polls++;
            var instructions = counters.TotalInstructions - beforeInstructions;
            var calls = counters.TotalCalls - beforeCalls;
            if (instructions > maxInstructions)
            {
                maxInstructions = instructions;
                maxCalls = calls;
                maxAt = (rig.Local - start) / 1e6;
                for (var i = 0; i < maxPoll.Length; i++)
                {
                    maxPoll[i] = counters.Instructions[i] - beforePoll[i];
                }
            }

            if (instructions > 20_000)
            {
                over++;
            }

            rig.AnswerBatches();
            var busy = (long)Math.Ceiling((instructions * request.CpuMicrosPerInstruction) + (calls * request.CpuMicrosPerCall));
            rig.Advance(busy + request.PollMicros);
        }

        var after = rig.Snapshot();
        return new WorkloadResult
        {
            Instructions = counters.Instructions,
            Calls = counters.CallCounts,
            Seconds = (rig.Local - start) / 1e6,
            Polls = polls,
            MaxPollInstructions = maxInstructions,
            MaxPollCalls = maxCalls,
            MaxPollAtSeconds = maxAt,
            MaxPollInstructionsByMethod = maxPoll,
            PollsOver20k = over,
            PollsLate = after.PollsLate - before.PollsLate,
            ReadsThinned = after.ReadsThinned - before.ReadsThinned,
            ReadsDropped = after.ReadsDropped - before.ReadsDropped,
            MaxBacklogBytes = rig.Unit.Readers.Max(r => r.Counters.MaxBacklogBytes),
            Reads = after.Reads - before.Reads,
            ModelReads = after.ModelReads - before.ModelReads,
            ReadsMissedByModules = after.ModuleMissed - before.ModuleMissed,
            ReadsDroppedByModules = after.ModuleDropped - before.ModuleDropped,
            Crossings = after.Crossings - before.Crossings,
            PassingsJournaled = after.Journaled - before.Journaled,
            Batches = after.Batches - before.Batches,
            ClockFits = after.ClockFits - before.ClockFits,
            UartBytesLost = after.UartBytesLost - before.UartBytesLost,
            ChipsReported = rig.ChipsReported.Count,
            ChipsWithoutPassing = rig.ChipsWithoutPassing(),
            PassingsWaiting = rig.PassingsWaiting(),
            CoreMemoryBytes = rig.Unit.Memory.TotalBytes,
            KeptStoreFull = rig.Unit.Detector.KeptStoreFull,
        };
    }

    /// <summary>
    /// Builds the unit as the device's Program does: the unit configuration for the workload's reader, the chip table
    /// from the board file, on the emulated parts. The one place that knows how a <see cref="MatUnit"/> is composed.
    /// </summary>
    private static MatUnit BuildUnit(string reader, int chips, GpsRig gps, IBytePort[] readers, IFileStore store, IMqttLink link)
    {
        var config = UnitConfig.Parse($"unit.id = 7\nmat.role = split\nreader.type = {reader}\nreader.region = eu\n");
        var settings = config.ToSettings();
        settings.Crossings.SetCapacity(chips);
        return new MatUnit(config, settings, new UnitHardware
        {
            Clock = gps.Clock,
            Readers = readers,
            Gps = gps.GpsPort,
            Pps = gps.Pps,
            Store = store,
            Mqtt = link,
            Hmac = DesktopHmacSha256.Instance,
            Rebooter = new NoReboot(),
            FirmwareVersion = "bench",
        });
    }

    /// <summary>The instrumented core's counters (the type the instrumenter injected), reached by reflection.</summary>
    internal sealed class Counters
    {
        private readonly FieldInfo _on;
        private readonly FieldInfo _totalInstructions;
        private readonly FieldInfo _totalCalls;

        private Counters(Type type, int methods)
        {
            _on = type.GetField("On")!;
            _totalInstructions = type.GetField("TotalInstructions")!;
            _totalCalls = type.GetField("TotalCalls")!;
            Instructions = new long[methods];
            CallCounts = new long[methods];
            type.GetField("Instructions")!.SetValue(null, Instructions);
            type.GetField("Calls")!.SetValue(null, CallCounts);
        }

        public long[] Instructions { get; }

        public long[] CallCounts { get; }

        public bool On
        {
            set => _on.SetValue(null, value);
        }

        public long TotalInstructions => (long)_totalInstructions.GetValue(null)!;

        public long TotalCalls => (long)_totalCalls.GetValue(null)!;

        public static Counters Attach(int methods)
        {
            var type = typeof(MatUnit).Assembly.GetType(Instrumentation.CoreInstrumenter.CountersType)
                ?? throw new InvalidOperationException("the loaded core is not instrumented");
            return new Counters(type, methods);
        }

        public void Reset()
        {
            Array.Clear(Instructions);
            Array.Clear(CallCounts);
        }
    }

    private readonly record struct Totals(long Reads, long Crossings, long Journaled, long Batches, long ClockFits, long UartBytesLost, long PollsLate, long ReadsThinned, long ReadsDropped, long ModelReads, long ModuleMissed, long ModuleDropped);

    private sealed class Rig
    {
        private readonly WorkloadRequest _request;
        private readonly GpsRig _gps;
        private readonly SerialLine[] _lines;
        private readonly ReaderModuleEmulator[] _modules;
        private readonly EmulatedMqttLink _collector;
        private readonly CollectorAck _ack = new();
        private readonly BatchReader _batch = new();
        private readonly Passing _passing = new();
        private readonly byte[] _ackBytes = new byte[CollectorAck.Bytes];
        private readonly HashSet<string> _passed = [];
        private readonly UplinkTopics _topics;
        private RandomRunnerStream? _runners;
        private CrossingModel? _model;
        private long _acked;

        public Rig(WorkloadRequest request)
        {
            _request = request;
            var crystal = new CrystalOscillator(4.2, agingPpmPerDay: 0.01, wanderPpm: 0.2, seed: request.Seed, referenceUtcMicros: StartUtc);
            _gps = new GpsRig(crystal, StartUtc, new GpsEmulatorOptions { Seed = request.Seed, AcquisitionSeconds = 5, Latency = PpsLatencyModel.Heavy }, baudRate: 9600, localAtBoot: 1_000_000);
            var modules = request.Reader == "none" ? 1 : request.Modules;
            _lines = new SerialLine[modules];
            _modules = new ReaderModuleEmulator[modules];
            var ports = new IBytePort[modules];
            for (var i = 0; i < modules; i++)
            {
                _lines[i] = new SerialLine(_gps.Clock, request.ReaderBaud, request.UartBufferBytes);
                _lines[i].UnitEnd.Open();
                _lines[i].ModuleEnd.Open();
                _modules[i] = request.Reader == "r2000"
                    ? new R2000ModuleEmulator(_lines[i], null, request.Seed + 13 + i)
                    : new MercuryNanoEmulator(_lines[i], null, request.Seed + 11 + i);
                _modules[i].ReadReported += read => ChipsReported.Add(Convert.ToHexString(read.Epc));
                ports[i] = _lines[i].UnitEnd;
            }

            var broker = new MqttBrokerEmulator();
            Unit = BuildUnit(request.Reader == "r2000" ? "r2000" : "m6e", request.Chips, _gps, ports, new MemoryFileStore(capacityBytes: 64L * 1024 * 1024), broker.CreateLink());
            _topics = new UplinkTopics(Unit.Settings.Uplink.Outbox.TopicPrefix, Unit.Settings.UnitId);
            _collector = broker.CreateLink();
            if (!_collector.Connect(new MqttConnectOptions("bench-collector")) || !_collector.Subscribe(_topics.Passings, 1))
            {
                throw new InvalidOperationException("the bench collector could not subscribe");
            }

            if (!Unit.Start())
            {
                throw new InvalidOperationException("the unit's journal did not open");
            }

            Unit.RaceDay.ArmAt(_gps.Timebase.TrueUtcAtBoot);
            Unit.RaceDay.EnterTimingMode();
        }

        public MatUnit Unit { get; }

        public long Local => _gps.Clock.Now;

        public HashSet<string> ChipsReported { get; } = [];

        public void RunUncounted(long micros)
        {
            var end = Local + micros;
            while (Local < end)
            {
                Unit.Poll();
                AnswerBatches();
                Advance(_request.PollMicros);
            }
        }

        public void StartRunners()
        {
            if (_request.Reader == "none" || _request.RunnersPerSecond <= 0)
            {
                return;
            }

            _runners = new RandomRunnerStream(new RandomRunnerSettings { Seed = _request.Seed, RunnersPerSecond = _request.RunnersPerSecond, ChipCrossings = 0, FirstCrossingMicros = Local + Second });
            var model = new CrossingModelSettings();
            _model = new CrossingModel(
                model with
                {
                    Readers = _request.Modules,
                    AntennasPerReader = _request.Antennas,
                    ReaderReadsPerSecond = _request.ReaderReadsPerSecond,
                    ChipReadsPerSecond = Math.Min(model.ChipReadsPerSecond, _request.ReaderReadsPerSecond),
                    KeepTrueCrossings = false,
                },
                _runners,
                _request.Seed);
            for (var i = 0; i < _modules.Length; i++)
            {
                _modules[i].Tags = _model.Reader(i);
            }

            ChipsReported.Clear();
        }

        public void Advance(long micros)
        {
            _gps.Gps.StepBy(micros);
            foreach (var module in _modules)
            {
                module.Poll();
            }
        }

        // The collector: stores every batch at once and answers with its ack (outside the counted polls).
        public void AnswerBatches()
        {
            MqttMessage? message;
            while ((message = _collector.TakeReceived()) != null)
            {
                if (!_batch.Load(message.Payload, message.Payload.Length))
                {
                    throw new InvalidOperationException("the unit published a bad batch: " + _batch.Error);
                }

                while (_batch.TryRead(_passing))
                {
                    _passed.Add(Convert.ToHexString(_passing.Epc, 0, _passing.EpcLength));
                }

                if (_batch.LastSequence > _acked && _batch.FirstSequence <= _acked + 1)
                {
                    _acked = _batch.LastSequence;
                }

                _ack.UnitId = _batch.UnitId;
                _ack.JournalId = _batch.JournalId;
                _ack.AckedSequence = _acked;
                _ack.BatchFirstSequence = _batch.FirstSequence;
                _ack.BatchCount = _batch.Count;
                _ack.Write(_ackBytes, 0);
                _collector.Publish(_topics.Acks, (byte[])_ackBytes.Clone(), 1, false);
            }
        }

        public long ChipsWithoutPassing()
        {
            // Let the crossings still open close and reach the collector (uncounted), then compare.
            foreach (var module in _modules)
            {
                module.Tags = null;
            }

            RunUncounted(10 * Second);
            return ChipsReported.Count(chip => !_passed.Contains(chip));
        }

        public long PassingsWaiting() => Unit.Detector.PendingPassings + Unit.Gate.Held + Unit.Uplink.Ring.Count;

        public Totals Snapshot() => new(
            Unit.Readers.Sum(r => r.Counters.TagReads),
            Unit.Detector.PassingsQueued,
            Unit.Uplink.Journal.LastSequence,
            Unit.Uplink.Outbox?.BatchesSent ?? 0,
            Unit.Clock.EdgesCommitted,
            _lines.Sum(l => l.UnitEnd.LostBytes),
            Unit.PollsLate,
            Unit.Readers.Sum(r => r.Counters.ReadsThinned),
            Unit.Readers.Sum(r => r.Counters.ReadsDropped),
            _modules.Sum(m => m.ReadsSent + m.ReadsMissed + m.ReadsThrottled + m.ReadsDroppedBacklog),
            _modules.Sum(m => m.ReadsMissed),
            _modules.Sum(m => m.ReadsDroppedBacklog));
    }

    /// <summary>A bench unit never reboots: a supervisor that asks would stop the count, which the bench would report.</summary>
    private sealed class NoReboot : IRebooter
    {
        public void Reboot() => throw new InvalidOperationException("the unit asked to reboot during the bench");
    }
}
