using TimingMat.Core.Reader;
using TimingMat.Core.Reader.Mercury;
using TimingMat.Core.Reader.R2000;
using TimingMat.Emulators.Reader;
using Xunit;

namespace TimingMat.Core.Tests.Reader;

/// <summary>The device heap is ~100 KB: once streaming, polling the driver allocates nothing per read.</summary>
public class ReaderDriverAllocationTests
{
    [Theory]
    [InlineData("mercury")]
    [InlineData("r2000")]
    public void Streaming_AllocatesNothing(string protocol)
    {
        var rig = new ReaderRig();
        var sink = new CountingSink();
        for (var i = 0; i < 50; i++)
        {
            rig.Tags.Add(ReaderRig.Epc(i), 1_500_000, 5_000_000, 20, RssiCurve.Flat(-6000 - (10 * i)));
        }

        ReaderDriver driver;
        if (protocol == "mercury")
        {
            rig.Module = new MercuryNanoEmulator(rig.Line, rig.Tags);
            driver = new MercuryReaderDriver(rig.Line.UnitEnd, rig.Clock, sink, null);
        }
        else
        {
            rig.Module = new R2000ModuleEmulator(rig.Line, rig.Tags);
            driver = new R2000ReaderDriver(rig.Line.UnitEnd, rig.Clock, sink, null);
        }

        driver.Start();
        for (var t = 0; t < 2000; t++)
        {
            rig.Clock.Advance(1000);
            rig.Module.Poll();
            driver.Poll();
        }

        Assert.Equal(ReaderState.Reading, driver.State);
        var readsBefore = sink.Reads;
        long allocated = 0;
        for (var t = 0; t < 2000; t++)
        {
            rig.Clock.Advance(1000);
            rig.Module.Poll();
            var before = GC.GetAllocatedBytesForCurrentThread();
            driver.Poll();
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }

        // 1000 reads/s in the field; a 115200-baud line carries about 245 Mercury records/s, the emulator drops the rest.
        Assert.True(sink.Reads - readsBefore > 400, $"{sink.Reads - readsBefore} reads");
        Assert.Equal(0, allocated);
    }

    private sealed class CountingSink : ITagReadSink
    {
        public long Reads { get; private set; }

        public void OnTagRead(TagRead read) => Reads++;
    }
}
