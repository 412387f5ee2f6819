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

    [Fact]
    public void TooSmallCapacity_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PassingRing(1));
    }
}
