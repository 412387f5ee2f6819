using TimingMat.Core.Clock;
using TimingMat.Core.Journal;
using TimingMat.Core.Passings;
using Xunit;

namespace TimingMat.Core.Tests.Journal;

public class PassingRingTests
{
    [Fact]
    public void Passings_ComeOutInOrder_AsCopies()
    {
        var ring = new PassingRing(4);
        var producer = SamplePassings.Make(1);

        Assert.True(ring.TryAccept(producer));
        producer.TimeUtcMicros = 99;  // the producer reuses its instance
        Assert.True(ring.TryAccept(SamplePassings.Make(2)));

        Assert.Equal(SamplePassings.Make(1).TimeUtcMicros, ring.Peek()!.TimeUtcMicros);
        Assert.True(ring.Remove());
        Assert.Equal(SamplePassings.Make(2).TimeUtcMicros, ring.Peek()!.TimeUtcMicros);
        Assert.True(ring.Remove());
        Assert.Null(ring.Peek());
        Assert.False(ring.Remove());
    }

    [Fact]
    public void FullRing_RefusesWithoutOverwriting_CountsAndAlarms()
    {
        var ring = new PassingRing(3);
        for (var i = 1; i <= 3; i++)
        {
            Assert.True(ring.TryAccept(SamplePassings.Make(i)));
        }

        Assert.False(ring.TryAccept(SamplePassings.Make(4)));
        Assert.False(ring.TryAccept(SamplePassings.Make(4)));

        Assert.True(ring.FullAlarm);
        Assert.Equal(2, ring.Refused);
        Assert.Equal(1, ring.FullEvents);
        Assert.Equal(3, ring.HighWater);
        Assert.Equal(SamplePassings.Make(1).TimeUtcMicros, ring.Peek()!.TimeUtcMicros);

        ring.Remove();
        Assert.False(ring.FullAlarm);
        Assert.True(ring.TryAccept(SamplePassings.Make(4)));
        Assert.False(ring.TryAccept(SamplePassings.Make(5)));
        Assert.Equal(2, ring.FullEvents);
        Assert.Equal(4, ring.Accepted);
    }

    [Fact]
    public void WrapsAround_ManyTimes()
    {
        var ring = new PassingRing(5);
        var next = 0;
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(ring.TryAccept(SamplePassings.Make(i)));
            if (i % 3 != 0)
            {
                Assert.Equal(SamplePassings.Make(next++).TimeUtcMicros, ring.Peek()!.TimeUtcMicros);
                ring.Remove();
            }

            while (ring.Count > 3)
            {
                Assert.Equal(SamplePassings.Make(next++).TimeUtcMicros, ring.Peek()!.TimeUtcMicros);
                ring.Remove();
            }
        }
    }

    [Fact]
    public void ProducerAndConsumerThreads_LoseAndReorderNothing()
    {
        const int Total = 200_000;
        var ring = new PassingRing(64);
        var received = new long[Total];
        var producer = new Thread(() =>
        {
            var p = new Passing();
            for (var i = 0; i < Total; i++)
            {
                p.TimeUtcMicros = i;
                p.Hits = i % 1000;
                while (!ring.TryAccept(p))
                {
                    Thread.SpinWait(10);
                }
            }
        });
        producer.Start();
        var taken = 0;
        while (taken < Total)
        {
            var slot = ring.Peek();
            if (slot == null)
            {
                Thread.SpinWait(10);
                continue;
            }

            Assert.Equal(slot.TimeUtcMicros % 1000, slot.Hits);
            received[taken++] = slot.TimeUtcMicros;
            ring.Remove();
        }

        producer.Join();
        Assert.Equal(Enumerable.Range(0, Total).Select(i => (long)i), received);
        Assert.Equal(Total, ring.Accepted);
    }

    [Theory]
    [InlineData(12, 12)]
    [InlineData(16, 16)]
    [InlineData(62, 62)]
    [InlineData(62, 12)]
    public void EveryField_SurvivesTheCompactSlot(int slotEpcBytes, int epcLength)
    {
        var ring = new PassingRing(2, slotEpcBytes);
        var sent = SamplePassings.Make(194, unitId: 65_535, epcLength: epcLength);
        sent.Sequence = 9_876_543_210L;
        sent.Flags = PassingFlags.Stray | PassingFlags.CapacityClosed | PassingFlags.OutsideArmedWindow;
        sent.ClockState = ClockState.Holdover;
        sent.BestAntenna = (7 * 16) + 4;
        sent.Hits = 70_000;
        sent.Epc[epcLength - 1] = 0xFF;

        Assert.True(ring.TryAccept(sent));
        var got = ring.Peek()!;

        Assert.Equal(
            (sent.Kind, sent.UnitId, sent.Sequence, sent.EpcLength, sent.TimeUtcMicros, sent.FirstReadUtcMicros, sent.LastReadUtcMicros, sent.Hits, sent.MaxRssiCentiDbm, sent.BestAntenna, sent.ClockState, sent.UncertaintyMicros, sent.Flags, sent.MarkerValue),
            (got.Kind, got.UnitId, got.Sequence, got.EpcLength, got.TimeUtcMicros, got.FirstReadUtcMicros, got.LastReadUtcMicros, got.Hits, got.MaxRssiCentiDbm, got.BestAntenna, got.ClockState, got.UncertaintyMicros, got.Flags, got.MarkerValue));
        Assert.Equal(sent.Epc[..epcLength], got.Epc[..got.EpcLength]);
        Assert.Equal(PassingKind.WaveStart, got.Kind);
        Assert.Equal(2, got.MarkerValue);
    }

    [Fact]
    public void APeekedCopy_ChangedByTheConsumer_LeavesTheSlotAsItWas()
    {
        var ring = new PassingRing(2, 12);
        Assert.True(ring.TryAccept(SamplePassings.Make(1)));

        ring.Peek()!.TimeUtcMicros = 5;

        Assert.Equal(SamplePassings.Make(1).TimeUtcMicros, ring.Peek()!.TimeUtcMicros);
    }

    [Fact]
    public void AnEpcLongerThanTheSlots_IsAWiringError_NotAStall()
    {
        var ring = new PassingRing(4, 12);

        var error = Assert.Throws<ArgumentException>(() => ring.TryAccept(SamplePassings.Make(1, epcLength: 16)));

        Assert.Equal("EPC of 16 bytes in a ring of 12-byte slots.", error.Message);
        Assert.Equal(0, ring.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PassingRing(4, 63));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PassingRing(4, 0));
    }

    [Fact]
    public void TooSmallCapacity_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PassingRing(1));
    }
}
