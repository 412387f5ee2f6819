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
    private SimulatedUplinkRig _rig = null!;

    [Fact]
    public void Streaming_DeliversEveryPassingOnce_InBatchesByAge_WithinHalfASecondPlusTransport()
    {
        _rig = new SimulatedUplinkRig();
        _rig.Unit.PassingsPerSecond = 30;
        _rig.Run(20_000_000);
        _rig.Drain();

        Assert.Equal(600, _rig.Unit.Generated);
        Assert.Equal(Enumerable.Range(1, 600), _rig.CollectedNumbers(1));
        _rig.AssertCollectorHasEveryPassingOf(_rig.Unit);

        // 30/s never fills a batch of 50: the 500 ms age sends them, about 15 a batch.
        var outbox = _rig.Unit.Uplink.Outbox!;
        Assert.InRange(outbox.BatchesSent, 600 / 17, 600 / 13);
        var delays = _rig.Store.ReadArrivalDelays();
        Assert.Equal(600, delays.Count);
        Assert.All(delays, d => Assert.InRange(d, 0, 500_000 + 60_000));
        Assert.Equal(0, _rig.Collector.Duplicates);
    }

    [Fact]
    public void FullBatches_GoAtFiftyPassings_WithoutWaitingForTheAge()
    {
        _rig = new SimulatedUplinkRig();
        // 400 a second fills a batch in 125 ms, four times faster than the age; building one (records read back and
        // checked, then the CRC, 768 bytes each a poll) adds about 100 ms: the unit keeps up with 500 passings a second.
        _rig.Unit.PassingsPerSecond = 400;
        _rig.Run(2_000_000);
        _rig.Drain();

        Assert.Equal(Enumerable.Range(1, 800), _rig.CollectedNumbers(1));
        Assert.Equal(16, _rig.Unit.Uplink.Outbox!.BatchesSent);
        Assert.All(_rig.Store.ReadArrivalDelays(), d => Assert.InRange(d, 0, 260_000));
    }

    [Fact]
    public void PollsTheUnitMarksHeavy_LeaveTheBatchWork_ToTheNextPoll()
    {
        _rig = new SimulatedUplinkRig();
        _rig.Unit.PassingsPerSecond = 100;
        _rig.Run(1_000_000);
        var outbox = _rig.Unit.Uplink.Outbox!;
        var sent = outbox.BatchesSent;
        Assert.True(sent > 0);

        // Every poll heavy (a peak fit each): no batch work at all, the passings wait in the journal.
        outbox.WaitThisPoll = true;
        _rig.Run(2_000_000);
        Assert.Equal(sent, outbox.BatchesSent);

        outbox.WaitThisPoll = false;
        _rig.Run(1_000_000);
        _rig.Drain();
        Assert.Equal(Enumerable.Range(1, _rig.Unit.Generated), _rig.CollectedNumbers(1));
        Assert.True(outbox.BatchesSent > sent + 4, $"{outbox.BatchesSent} batches");
    }

    [Fact]
    public void BrokerPubackAlone_DoesNotCompleteABatch_OnlyTheCollectorsAckDoes()
    {
        _rig = new SimulatedUplinkRig();
        _rig.CollectorRunning = false;
        _rig.Unit.PassingsPerSecond = 100;
        _rig.Run(3_000_000);

        var outbox = _rig.Unit.Uplink.Outbox!;
        Assert.True(outbox.BrokerAcks > 0);
        Assert.Equal(0, _rig.Unit.Journal.AckedSequence);
        Assert.Equal(300, _rig.Unit.Journal.UnacknowledgedCount);
        Assert.True(outbox.InFlight > 0);

        _rig.CollectorRunning = true;
        _rig.Drain();
        Assert.Equal(Enumerable.Range(1, 300), _rig.CollectedNumbers(1));
        _rig.AssertCollectorHasEveryPassingOf(_rig.Unit);
    }

    [Fact]
    public void AfterAMinuteWithoutNetwork_TheBacklogDrainsOldestFirst_WhileLivePassingsKeepFlowing()
    {
        _rig = new SimulatedUplinkRig(configure: o => o.Outbox.MaxInFlightBatches = 4);
        var unit = _rig.Unit;
        unit.PassingsPerSecond = 40;
        _rig.Run(5_000_000);
        unit.Link.CutNetwork();
        _rig.Run(60_000_000);
        Assert.False(unit.Uplink.IsOnline);
        var backlogEnd = unit.Journal.DurableSequence;
        unit.Link.RestoreNetwork();
        _rig.RunUntil(() => unit.Uplink.IsOnline, 5_000_000, "reconnect");
        var reconnected = _rig.UtcMicros;
        _rig.Run(3_000_000);
        _rig.Drain();

        Assert.Equal(Enumerable.Range(1, unit.Generated), _rig.CollectedNumbers(1));
        _rig.AssertCollectorHasEveryPassingOf(unit);

        var stored = _rig.Store.ReadPassings(1);
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
        _rig = new SimulatedUplinkRig(latencyMicros: 20_000);
        _rig.Unit.PassingsPerSecond = 200;
        _rig.Run(3_000_000);
        _rig.Broker.Stop(keepState: false);
        _rig.Run(4_000_000);
        _rig.Broker.Start();
        _rig.Run(3_000_000);
        _rig.Drain();

        Assert.Equal(Enumerable.Range(1, _rig.Unit.Generated), _rig.CollectedNumbers(1));
        _rig.AssertCollectorHasEveryPassingOf(_rig.Unit);
        Assert.True(_rig.Unit.Uplink.Connections >= 2);
        Assert.True(_rig.Collector.Connections >= 2);
    }

    [Fact]
    public void CollectorDownWithATinyBrokerQueue_DroppedBatchesAreSentAgain()
    {
        _rig = new SimulatedUplinkRig(maxQueued: 5, configure: o => o.Outbox.AckTimeoutMicros = 2_000_000);
        _rig.Unit.PassingsPerSecond = 200;
        _rig.Run(2_000_000);
        _rig.StopCollector();
        _rig.Run(20_000_000);
        _rig.StartCollector();
        _rig.Drain(300_000_000);

        Assert.True(_rig.Broker.DroppedQueued > 0);
        Assert.True(_rig.Unit.Uplink.Outbox!.BatchesRequeued > 0);
        Assert.Equal(Enumerable.Range(1, _rig.Unit.Generated), _rig.CollectedNumbers(1));
        _rig.AssertCollectorHasEveryPassingOf(_rig.Unit);
    }

    [Fact]
    public void PowerCycles_LoseNothingDurable_AndSequenceNumbersNeverRepeat()
    {
        _rig = new SimulatedUplinkRig();
        var unit = _rig.Unit;
        unit.PassingsPerSecond = 150;
        for (var i = 0; i < 5; i++)
        {
            _rig.Run(1_337_000);
            unit.PowerCycle();
        }

        _rig.Run(1_000_000);
        _rig.Drain();

        // Passings only in RAM at a cut are re-made by the restarted detector (numbering resumes after the last
        // stored one), so the collector holds every number exactly once, under consecutive sequence numbers.
        Assert.Equal(Enumerable.Range(1, unit.Generated), _rig.CollectedNumbers(1));
        Assert.Equal(Enumerable.Range(1, unit.Generated).Select(i => (long)i), _rig.Store.ReadPassings(1).Select(p => p.Passing.Sequence));
        _rig.AssertCollectorHasEveryPassingOf(unit);
        Assert.Equal(0, _rig.Store.CountConflicts());
    }

    [Fact]
    public void ReplayCommand_SendsTheRangeAgain_MarkedAsReplay()
    {
        _rig = new SimulatedUplinkRig();
        _rig.Unit.PassingsPerSecond = 100;
        _rig.Run(2_000_000);
        _rig.Drain();
        var duplicatesBefore = _rig.Collector.Duplicates;

        Assert.True(_rig.Collector.RequestReplay(1, 50, 149));
        _rig.Run(1_000_000);

        Assert.Equal(100, _rig.Collector.Duplicates - duplicatesBefore);
        Assert.Equal(1, _rig.Unit.Uplink.Outbox!.ReplayRequests);
        Assert.Equal(200, _rig.Store.CountPassings(1));
    }

    [Fact]
    public void AnUnsignedReplayOnTheCommandTopic_IsHandedToTheApplication_NotCarriedOut()
    {
        // Replays are the collector's, on the ack topic; the command topic takes only signed commands, which the unit
        // application checks (without one, the uplink counts and drops them).
        _rig = new SimulatedUplinkRig();
        _rig.Unit.PassingsPerSecond = 100;
        _rig.Run(1_000_000);
        _rig.Drain();
        var technician = _rig.Broker.CreateLink();
        technician.Connect(new Core.Hardware.MqttConnectOptions("technician") { CleanSession = true });

        technician.Publish("timingmat/1/cmd", Encoding.ASCII.GetBytes("REPLAY 1\n"), 1, false);
        technician.Publish("timingmat/1/cmd", Encoding.ASCII.GetBytes("replay everything"), 1, false);
        _rig.Run(1_000_000);

        Assert.Equal(0, _rig.Collector.Duplicates);
        Assert.Equal(2, _rig.Unit.Uplink.DroppedCommands);
        Assert.Equal(0, _rig.Unit.Uplink.Outbox!.ReplayRequests);
    }

    [Fact]
    public void AReplayRequestOnTheAckTopic_IsCarriedOut_AndAMalformedOneIsIgnored()
    {
        _rig = new SimulatedUplinkRig();
        _rig.Unit.PassingsPerSecond = 100;
        _rig.Run(1_000_000);
        _rig.Drain();
        var collector = _rig.Broker.CreateLink();
        collector.Connect(new Core.Hardware.MqttConnectOptions("second-collector") { CleanSession = true });

        collector.Publish("timingmat/1/ack", Encoding.ASCII.GetBytes("replay 11 20"), 1, false);
        collector.Publish("timingmat/1/ack", Encoding.ASCII.GetBytes("replay 20 11"), 1, false);
        _rig.Run(1_000_000);

        Assert.Equal(10, _rig.Collector.Duplicates);
        Assert.Equal(1, _rig.Unit.Uplink.ReplayRequests);
        Assert.Equal(1, _rig.Unit.Uplink.Outbox!.IgnoredAcks);
    }

    [Fact]
    public void CollectorRestoredFromAnOlderCopy_AsksForTheGap_AndGetsIt()
    {
        _rig = new SimulatedUplinkRig();
        var unit = _rig.Unit;
        unit.PassingsPerSecond = 100;
        _rig.Run(2_000_000);
        _rig.Drain();
        var copy = _rig.BackUpDatabase();
        unit.PassingsPerSecond = 100;
        _rig.Run(3_000_000);
        _rig.Drain();
        _rig.RestoreDatabase(copy);
        Assert.Equal(200, _rig.Store.CountPassings(1));

        unit.PassingsPerSecond = 100;
        _rig.Run(2_000_000);
        _rig.Drain();

        Assert.True(_rig.Collector.ReplayRequests >= 1);
        Assert.Equal(Enumerable.Range(1, unit.Generated), _rig.CollectedNumbers(1));
        _rig.AssertCollectorHasEveryPassingOf(unit);
    }

    [Fact]
    public void AGapTheUnitCannotFill_IsAskedForLessAndLessOften()
    {
        _rig = new SimulatedUplinkRig(configureCollector: o => o.ReplayRequestIntervalMicros = 2_000_000);
        var unit = _rig.Unit;
        unit.PowerCycle(new Core.Journal.JournalOptions(1) { SegmentBytes = 2048, KeepAcknowledged = false, NewJournalId = 1001 });
        unit.PassingsPerSecond = 100;
        _rig.Run(1_000_000);
        _rig.Drain();
        var copy = _rig.BackUpDatabase();
        unit.PassingsPerSecond = 100;
        _rig.Run(3_000_000);
        _rig.Drain();
        _rig.Run(6_000_000);
        Assert.True(unit.Journal.FirstSequence > 200, $"acknowledged segments should be pruned, first is {unit.Journal.FirstSequence}");
        _rig.RestoreDatabase(copy);

        unit.PassingsPerSecond = 10;
        _rig.Run(70_000_000);

        // Every 2 s for 70 s would be 35 requests, each re-sending the unit's whole journal; backing off: 0, 2, 6, 14, 30, 62 s.
        var ledger = _rig.Collector.Ledger[1];
        Assert.InRange(_rig.Collector.ReplayRequests, 5, 7);
        Assert.True(ledger.FruitlessReplayRequests >= 3);
        Assert.Equal(100, ledger.Contiguous);
        Assert.Equal(101, ledger.Gaps()[0].From);
    }

    [Fact]
    public void AWipedUnitJournal_IsFollowedAfresh_AndItsClashingNumbersAreKeptAsConflicts()
    {
        _rig = new SimulatedUplinkRig();
        var unit = _rig.Unit;
        unit.PassingsPerSecond = 100;
        _rig.Run(1_000_000);
        _rig.Drain();
        foreach (var name in unit.Flash.List())
        {
            unit.Flash.Delete(name);
        }

        unit.PowerCycle();  // new journal (new id), numbering from 1 again
        Assert.Equal(2001, unit.Journal.JournalId);
        unit.PassingsPerSecond = 100;
        _rig.Run(500_000);
        _rig.Drain();

        Assert.Equal(100, _rig.Store.CountPassings(1));
        Assert.Equal(unit.Journal.DurableSequence, _rig.Store.CountConflicts());
        Assert.Equal(unit.Journal.DurableSequence, _rig.Collector.Ledger[1].Contiguous);
        Assert.Equal(unit.Journal.DurableSequence, unit.Journal.AckedSequence);
    }

    [Fact]
    public void TheWillMarksAVanishedUnitOffline_AndACleanStopLeavesItOffline_WithNothingUnacknowledged()
    {
        // The uplink owns the session's will and the clean stop's last word; the unit application writes the full status.
        _rig = new SimulatedUplinkRig();
        _rig.Unit.PassingsPerSecond = 10;
        _rig.Run(1_000_000);
        Assert.True(_rig.Unit.Uplink.IsOnline);

        _rig.Unit.Link.CutNetwork();
        Assert.Equal("{\"unit\":1,\"state\":\"offline\"}", Encoding.ASCII.GetString(_rig.Broker.Retained["timingmat/1/status"]));
        _rig.Run(200_000);
        Assert.Contains("\"state\":\"offline\"", _rig.Store.ReadStatus(1), StringComparison.Ordinal);

        _rig.Unit.Link.RestoreNetwork();
        _rig.Run(3_000_000);
        Assert.True(_rig.Unit.Uplink.IsOnline);
        Assert.Equal(2, _rig.Unit.Uplink.Connections);

        _rig.Drain();
        _rig.Unit.Uplink.Stop(Encoding.ASCII.GetBytes("{\"unit\":1,\"state\":\"offline\",\"last\":true}"));
        _rig.Run(100_000);
        Assert.Equal("{\"unit\":1,\"state\":\"offline\",\"last\":true}", Encoding.ASCII.GetString(_rig.Broker.Retained["timingmat/1/status"]));
        Assert.Equal(0, _rig.Unit.Journal.UnacknowledgedCount);
    }

    [Fact]
    public void FullJournal_HoldsTheDetectorBack_RaisesAlarms_AndLosesNothingOnceTheCollectorCatchesUp()
    {
        _rig = new SimulatedUplinkRig();
        var unit = _rig.Unit;
        _rig.StopCollector();
        foreach (var name in unit.Flash.List())
        {
            unit.Flash.Delete(name);
        }

        unit.PowerCycle(new Core.Journal.JournalOptions(1) { SegmentBytes = 2048, CapacityBytes = 8192, NewJournalId = 1001 });
        unit.PassingsPerSecond = 100;
        _rig.Run(5_000_000);

        Assert.True(unit.Journal.FullAlarm);
        Assert.True(unit.Ring.FullAlarm);
        Assert.NotNull(unit.Pending);

        _rig.StartCollector();
        unit.PassingsPerSecond = 0;
        _rig.RunUntil(() => unit.Pending == null && unit.Ring.Count == 0 && unit.Journal.AckedSequence == unit.Journal.DurableSequence, 60_000_000, "catch up");

        Assert.Equal(Enumerable.Range(1, unit.Generated), _rig.CollectedNumbers(1));
        Assert.False(unit.Journal.FullAlarm);
    }

    public void Dispose() => _rig?.Dispose();
}
