using System.Text;
using System.Text.Json;
using TimingMat.Core.Outbox;
using TimingMat.Uplink.Tests.Support;
using Xunit;

namespace TimingMat.Uplink.Tests;

/// <summary>
/// The core outbox, journal and ring with the real collector, over the emulated broker on simulated time: the
/// store-and-forward rules, each fault reproducible to the microsecond.
/// </summary>
public sealed class OutboxSimulatedTests : IDisposable
{
    private SimulatedUplinkBench _bench = null!;

    [Fact]
    public void Streaming_DeliversEveryPassingOnce_InBatchesByAge_WithinHalfASecondPlusTransport()
    {
        _bench = new SimulatedUplinkBench();
        _bench.Unit.PassingsPerSecond = 30;
        _bench.Run(20_000_000);
        _bench.Drain();

        Assert.Equal(600, _bench.Unit.Generated);
        Assert.Equal(Enumerable.Range(1, 600), _bench.CollectedNumbers(1));
        _bench.AssertCollectorHasEveryPassingOf(_bench.Unit);

        // 30/s never fills a batch of 50: the 500 ms age sends them, about 15 a batch.
        var outbox = _bench.Unit.Uplink.Outbox!;
        Assert.InRange(outbox.BatchesSent, 600 / 17, 600 / 13);
        var delays = _bench.Store.ReadArrivalDelays();
        Assert.Equal(600, delays.Count);
        Assert.All(delays, d => Assert.InRange(d, 0, 500_000 + 60_000));
        Assert.Equal(0, _bench.Collector.Duplicates);
    }

    [Fact]
    public void FullBatches_GoAtFiftyPassings_WithoutWaitingForTheAge()
    {
        _bench = new SimulatedUplinkBench();
        // 400 a second fills a batch in 125 ms, four times faster than the age; building one (records read back and
        // checked, then the CRC, 768 bytes each a poll) adds about 100 ms: the unit keeps up with 500 passings a second.
        _bench.Unit.PassingsPerSecond = 400;
        _bench.Run(2_000_000);
        _bench.Drain();

        Assert.Equal(Enumerable.Range(1, 800), _bench.CollectedNumbers(1));
        Assert.Equal(16, _bench.Unit.Uplink.Outbox!.BatchesSent);
        Assert.All(_bench.Store.ReadArrivalDelays(), d => Assert.InRange(d, 0, 260_000));
    }

    [Fact]
    public void PollsTheUnitMarksHeavy_LeaveTheBatchWork_ToTheNextPoll()
    {
        _bench = new SimulatedUplinkBench();
        _bench.Unit.PassingsPerSecond = 100;
        _bench.Run(1_000_000);
        var outbox = _bench.Unit.Uplink.Outbox!;
        var sent = outbox.BatchesSent;
        Assert.True(sent > 0);

        // Every poll heavy (a peak fit each): no batch work at all, the passings wait in the journal.
        outbox.WaitThisPoll = true;
        _bench.Run(2_000_000);
        Assert.Equal(sent, outbox.BatchesSent);

        outbox.WaitThisPoll = false;
        _bench.Run(1_000_000);
        _bench.Drain();
        Assert.Equal(Enumerable.Range(1, _bench.Unit.Generated), _bench.CollectedNumbers(1));
        Assert.True(outbox.BatchesSent > sent + 4, $"{outbox.BatchesSent} batches");
    }

    [Fact]
    public void BrokerPubackAlone_DoesNotCompleteABatch_OnlyTheCollectorsAckDoes()
    {
        _bench = new SimulatedUplinkBench();
        _bench.CollectorRunning = false;
        _bench.Unit.PassingsPerSecond = 100;
        _bench.Run(3_000_000);

        var outbox = _bench.Unit.Uplink.Outbox!;
        Assert.True(outbox.BrokerAcks > 0);
        Assert.Equal(0, _bench.Unit.Journal.AckedSequence);
        Assert.Equal(300, _bench.Unit.Journal.UnacknowledgedCount);
        Assert.True(outbox.InFlight > 0);

        _bench.CollectorRunning = true;
        _bench.Drain();
        Assert.Equal(Enumerable.Range(1, 300), _bench.CollectedNumbers(1));
        _bench.AssertCollectorHasEveryPassingOf(_bench.Unit);
    }

    [Fact]
    public void AfterAMinuteWithoutNetwork_TheBacklogDrainsOldestFirst_WhileLivePassingsKeepFlowing()
    {
        _bench = new SimulatedUplinkBench(configure: o => o.Outbox.MaxInFlightBatches = 4);
        var unit = _bench.Unit;
        unit.PassingsPerSecond = 40;
        _bench.Run(5_000_000);
        unit.Link.CutNetwork();
        _bench.Run(60_000_000);
        Assert.False(unit.Uplink.IsOnline);
        var backlogEnd = unit.Journal.DurableSequence;
        unit.Link.RestoreNetwork();
        _bench.RunUntil(() => unit.Uplink.IsOnline, 5_000_000, "reconnect");
        var reconnected = _bench.UtcMicros;
        _bench.Run(3_000_000);
        _bench.Drain();

        Assert.Equal(Enumerable.Range(1, unit.Generated), _bench.CollectedNumbers(1));
        _bench.AssertCollectorHasEveryPassingOf(unit);

        var stored = _bench.Store.ReadPassings(1);
        var backlog = stored.Where(p => p.Passing.Sequence <= backlogEnd && p.ReceivedUtcMicros >= reconnected).ToList();
        var live = stored.Where(p => p.Passing.Sequence > backlogEnd).ToList();
        Assert.True(backlog.Count > 2000, $"backlog was {backlog.Count}");

        // Oldest first: within the backlog, arrival order follows the sequence numbers.
        Assert.Equal(backlog.OrderBy(p => p.Passing.Sequence).Select(p => p.ReceivedUtcMicros), backlog.Select(p => p.ReceivedUtcMicros).Order());

        // Live passings did not wait for the backlog: the first of them arrived before the backlog was through.
        Assert.True(live.Min(p => p.ReceivedUtcMicros) < backlog.Max(p => p.ReceivedUtcMicros));
        Assert.All(live.Where(p => p.Passing.TimeUtcMicros >= reconnected), p => Assert.InRange(p.ReceivedUtcMicros - p.Passing.TimeUtcMicros, 0, 700_000));
    }

    [Fact]
    public void BrokerCrashThatLosesEverything_MidStream_LosesNoPassing()
    {
        _bench = new SimulatedUplinkBench(latencyMicros: 20_000);
        _bench.Unit.PassingsPerSecond = 200;
        _bench.Run(3_000_000);
        _bench.Broker.Stop(keepState: false);
        _bench.Run(4_000_000);
        _bench.Broker.Start();
        _bench.Run(3_000_000);
        _bench.Drain();

        Assert.Equal(Enumerable.Range(1, _bench.Unit.Generated), _bench.CollectedNumbers(1));
        _bench.AssertCollectorHasEveryPassingOf(_bench.Unit);
        Assert.True(_bench.Unit.Uplink.Connections >= 2);
        Assert.True(_bench.Collector.Connections >= 2);
    }

    [Fact]
    public void CollectorDownWithATinyBrokerQueue_DroppedBatchesAreSentAgain()
    {
        _bench = new SimulatedUplinkBench(maxQueued: 5, configure: o => o.Outbox.AckTimeoutMicros = 2_000_000);
        _bench.Unit.PassingsPerSecond = 200;
        _bench.Run(2_000_000);
        _bench.StopCollector();
        _bench.Run(20_000_000);
        _bench.StartCollector();
        _bench.Drain(300_000_000);

        Assert.True(_bench.Broker.DroppedQueued > 0);
        Assert.True(_bench.Unit.Uplink.Outbox!.BatchesRequeued > 0);
        Assert.Equal(Enumerable.Range(1, _bench.Unit.Generated), _bench.CollectedNumbers(1));
        _bench.AssertCollectorHasEveryPassingOf(_bench.Unit);
    }

    [Fact]
    public void PowerCycles_LoseNothingDurable_AndSequenceNumbersNeverRepeat()
    {
        _bench = new SimulatedUplinkBench();
        var unit = _bench.Unit;
        unit.PassingsPerSecond = 150;
        for (var i = 0; i < 5; i++)
        {
            _bench.Run(1_337_000);
            unit.PowerCycle();
        }

        _bench.Run(1_000_000);
        _bench.Drain();

        // Passings only in RAM at a cut are re-made by the restarted detector (numbering resumes after the last
        // stored one), so the collector holds every number exactly once, under consecutive sequence numbers.
        Assert.Equal(Enumerable.Range(1, unit.Generated), _bench.CollectedNumbers(1));
        Assert.Equal(Enumerable.Range(1, unit.Generated).Select(i => (long)i), _bench.Store.ReadPassings(1).Select(p => p.Passing.Sequence));
        _bench.AssertCollectorHasEveryPassingOf(unit);
        Assert.Equal(0, _bench.Store.CountConflicts());
    }

    [Fact]
    public void ReplayCommand_SendsTheRangeAgain_MarkedAsReplay()
    {
        _bench = new SimulatedUplinkBench();
        _bench.Unit.PassingsPerSecond = 100;
        _bench.Run(2_000_000);
        _bench.Drain();
        var duplicatesBefore = _bench.Collector.Duplicates;

        Assert.True(_bench.Collector.RequestReplay(1, 50, 149));
        _bench.Run(1_000_000);

        Assert.Equal(100, _bench.Collector.Duplicates - duplicatesBefore);
        Assert.Equal(1, _bench.Unit.Uplink.Outbox!.ReplayRequests);
        Assert.Equal(200, _bench.Store.CountPassings(1));
    }

    [Fact]
    public void AnUnsignedReplayOnTheCommandTopic_IsHandedToTheApplication_NotCarriedOut()
    {
        // Replays are the collector's, on the ack topic; the command topic takes only signed commands, which the unit
        // application checks (without one, the uplink counts and drops them).
        _bench = new SimulatedUplinkBench();
        _bench.Unit.PassingsPerSecond = 100;
        _bench.Run(1_000_000);
        _bench.Drain();
        var technician = _bench.Broker.CreateLink();
        technician.Connect(new Core.Hardware.MqttConnectOptions("technician") { CleanSession = true });

        technician.Publish("timingmat/1/cmd", Encoding.ASCII.GetBytes("REPLAY 1\n"), 1, false);
        technician.Publish("timingmat/1/cmd", Encoding.ASCII.GetBytes("replay everything"), 1, false);
        _bench.Run(1_000_000);

        Assert.Equal(0, _bench.Collector.Duplicates);
        Assert.Equal(2, _bench.Unit.Uplink.DroppedCommands);
        Assert.Equal(0, _bench.Unit.Uplink.Outbox!.ReplayRequests);
    }

    [Fact]
    public void AReplayRequestOnTheAckTopic_IsCarriedOut_AndAMalformedOneIsIgnored()
    {
        _bench = new SimulatedUplinkBench();
        _bench.Unit.PassingsPerSecond = 100;
        _bench.Run(1_000_000);
        _bench.Drain();
        var collector = _bench.Broker.CreateLink();
        collector.Connect(new Core.Hardware.MqttConnectOptions("second-collector") { CleanSession = true });

        collector.Publish("timingmat/1/ack", Encoding.ASCII.GetBytes("replay 11 20"), 1, false);
        collector.Publish("timingmat/1/ack", Encoding.ASCII.GetBytes("replay 20 11"), 1, false);
        _bench.Run(1_000_000);

        Assert.Equal(10, _bench.Collector.Duplicates);
        Assert.Equal(1, _bench.Unit.Uplink.ReplayRequests);
        Assert.Equal(1, _bench.Unit.Uplink.Outbox!.IgnoredAcks);
    }

    [Fact]
    public void CollectorRestoredFromAnOlderCopy_AsksForTheGap_AndGetsIt()
    {
        _bench = new SimulatedUplinkBench();
        var unit = _bench.Unit;
        unit.PassingsPerSecond = 100;
        _bench.Run(2_000_000);
        _bench.Drain();
        var copy = _bench.BackUpDatabase();
        unit.PassingsPerSecond = 100;
        _bench.Run(3_000_000);
        _bench.Drain();
        _bench.RestoreDatabase(copy);
        Assert.Equal(200, _bench.Store.CountPassings(1));

        unit.PassingsPerSecond = 100;
        _bench.Run(2_000_000);
        _bench.Drain();

        Assert.True(_bench.Collector.ReplayRequests >= 1);
        Assert.Equal(Enumerable.Range(1, unit.Generated), _bench.CollectedNumbers(1));
        _bench.AssertCollectorHasEveryPassingOf(unit);
    }

    [Fact]
    public void AGapTheUnitCannotFill_IsAskedForLessAndLessOften()
    {
        _bench = new SimulatedUplinkBench(configureCollector: o => o.ReplayRequestIntervalMicros = 2_000_000);
        var unit = _bench.Unit;
        unit.PowerCycle(new Core.Journal.JournalOptions(1) { SegmentBytes = 2048, KeepAcknowledged = false, NewJournalId = 1001 });
        unit.PassingsPerSecond = 100;
        _bench.Run(1_000_000);
        _bench.Drain();
        var copy = _bench.BackUpDatabase();
        unit.PassingsPerSecond = 100;
        _bench.Run(3_000_000);
        _bench.Drain();
        _bench.Run(6_000_000);
        Assert.True(unit.Journal.FirstSequence > 200, $"acknowledged segments should be pruned, first is {unit.Journal.FirstSequence}");
        _bench.RestoreDatabase(copy);

        unit.PassingsPerSecond = 10;
        _bench.Run(70_000_000);

        // Every 2 s for 70 s would be 35 requests, each re-sending the unit's whole journal; backing off: 0, 2, 6, 14, 30, 62 s.
        var ledger = _bench.Collector.Ledger[1];
        Assert.InRange(_bench.Collector.ReplayRequests, 5, 7);
        Assert.True(ledger.FruitlessReplayRequests >= 3);
        Assert.Equal(100, ledger.Contiguous);
        Assert.Equal(101, ledger.Gaps()[0].From);
    }

    [Fact]
    public void AWipedUnitJournal_IsFollowedAfresh_AndItsClashingNumbersAreKeptAsConflicts()
    {
        _bench = new SimulatedUplinkBench();
        var unit = _bench.Unit;
        unit.PassingsPerSecond = 100;
        _bench.Run(1_000_000);
        _bench.Drain();
        foreach (var name in unit.Flash.List())
        {
            unit.Flash.Delete(name);
        }

        unit.PowerCycle();  // new journal (new id), numbering from 1 again
        Assert.Equal(2001, unit.Journal.JournalId);
        unit.PassingsPerSecond = 100;
        _bench.Run(500_000);
        _bench.Drain();

        Assert.Equal(100, _bench.Store.CountPassings(1));
        Assert.Equal(unit.Journal.DurableSequence, _bench.Store.CountConflicts());
        Assert.Equal(unit.Journal.DurableSequence, _bench.Collector.Ledger[1].Contiguous);
        Assert.Equal(unit.Journal.DurableSequence, unit.Journal.AckedSequence);
    }

    [Fact]
    public void TheWillMarksAVanishedUnitOffline_AndACleanStopLeavesItOffline_WithNothingUnacknowledged()
    {
        // The uplink owns the session's will and the clean stop's last word; the unit application writes the full status.
        _bench = new SimulatedUplinkBench();
        _bench.Unit.PassingsPerSecond = 10;
        _bench.Run(1_000_000);
        Assert.True(_bench.Unit.Uplink.IsOnline);

        _bench.Unit.Link.CutNetwork();
        Assert.Equal("{\"unit\":1,\"state\":\"offline\"}", Encoding.ASCII.GetString(_bench.Broker.Retained["timingmat/1/status"]));
        _bench.Run(200_000);
        Assert.Contains("\"state\":\"offline\"", _bench.Store.ReadStatus(1), StringComparison.Ordinal);

        _bench.Unit.Link.RestoreNetwork();
        _bench.Run(3_000_000);
        Assert.True(_bench.Unit.Uplink.IsOnline);
        Assert.Equal(2, _bench.Unit.Uplink.Connections);

        _bench.Drain();
        _bench.Unit.Uplink.Stop(Encoding.ASCII.GetBytes("{\"unit\":1,\"state\":\"offline\",\"last\":true}"));
        _bench.Run(100_000);
        Assert.Equal("{\"unit\":1,\"state\":\"offline\",\"last\":true}", Encoding.ASCII.GetString(_bench.Broker.Retained["timingmat/1/status"]));
        Assert.Equal(0, _bench.Unit.Journal.UnacknowledgedCount);
    }

    [Fact]
    public void FullJournal_HoldsTheDetectorBack_RaisesAlarms_AndLosesNothingOnceTheCollectorCatchesUp()
    {
        _bench = new SimulatedUplinkBench();
        var unit = _bench.Unit;
        _bench.StopCollector();
        foreach (var name in unit.Flash.List())
        {
            unit.Flash.Delete(name);
        }

        unit.PowerCycle(new Core.Journal.JournalOptions(1) { SegmentBytes = 2048, CapacityBytes = 8192, NewJournalId = 1001 });
        unit.PassingsPerSecond = 100;
        _bench.Run(5_000_000);

        Assert.True(unit.Journal.FullAlarm);
        Assert.True(unit.Ring.FullAlarm);
        Assert.NotNull(unit.Pending);

        _bench.StartCollector();
        unit.PassingsPerSecond = 0;
        _bench.RunUntil(() => unit.Pending == null && unit.Ring.Count == 0 && unit.Journal.AckedSequence == unit.Journal.DurableSequence, 60_000_000, "catch up");

        Assert.Equal(Enumerable.Range(1, unit.Generated), _bench.CollectedNumbers(1));
        Assert.False(unit.Journal.FullAlarm);
    }

    public void Dispose() => _bench?.Dispose();
}
