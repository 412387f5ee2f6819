using TimingMat.Core.Hardware;
using TimingMat.Core.Reader;
using TimingMat.Emulators.Reader;
using Xunit;

namespace TimingMat.Core.Tests.Reader;

/// <summary>
/// What the mat unit may assume of any reader driver, whatever the module's protocol: it configures the module and
/// then reads, resyncs over noise without losing reads, counts corrupted frames, restarts a module that streams
/// garbage or goes silent or whose port fails, finds a module at another line speed, and stops. Run against each
/// module emulator on simulated time.
/// </summary>
public abstract class ReaderDriverContractTests
{
    /// <summary>Gets the unit, the line and the simulated clock the driver and the emulator share.</summary>
    private protected ReaderRig Bench { get; } = new();

    /// <summary>Gets the module emulator on the line's far end.</summary>
    protected abstract ReaderModuleEmulator Module { get; }

    /// <summary>
    /// Gets a value indicating whether the module is reading tags right now (streaming, or inside an inventory round:
    /// a module that reads in rounds is idle for a poll between two, so tests wait for this rather than sample it).
    /// </summary>
    protected abstract bool ModuleIsReading { get; }

    [Fact]
    public void Start_ConfiguresTheModule_ThenReportsEveryReadItSends()
    {
        Bench.Tags.Add(ReaderRig.Epc(1), 1_500_000, 2_500_000, 50, RssiCurve.Flat(-6000));
        var driver = Start();

        Bench.Run(3_000_000);

        Assert.Equal(ReaderState.Configuring, Bench.States.First(s => s is ReaderState.Configuring or ReaderState.Reading));
        Assert.Equal(ReaderState.Reading, driver.State);
        Assert.True(Bench.RunUntil(() => ModuleIsReading, 100_000));
        Assert.True(Module.ReadsSent >= 30, $"{Module.ReadsSent} reads sent");
        Assert.Equal(Module.ReadsSent, Bench.Reads.Count);
        Assert.Equal(Module.ReadsSent, driver.Counters.TagReads);
        Assert.All(Bench.Reads, r => Assert.True(r.EpcEquals(ReaderRig.Epc(1), 0, 12)));
        Assert.All(Bench.Reads, r => Assert.Equal(-6000, r.RssiCentiDbm));
        Assert.Equal(0, driver.Counters.Restarts);
    }

    [Fact]
    public void GarbageBursts_AreResynced_WithoutLosingReads_OrRestarting()
    {
        Bench.Tags.Add(ReaderRig.Epc(5), 1_000_000, 6_000_000, 40, RssiCurve.Flat(-6000));
        var driver = Start();
        Bench.Run(1_500_000);

        for (var i = 0; i < 20; i++)
        {
            Module.InjectGarbage(24);
            Bench.Run(200_000);
        }

        Bench.Run(1_000_000);
        Assert.Equal(0, driver.Counters.Restarts);
        Assert.True(driver.Counters.Resyncs >= 10, $"{driver.Counters.Resyncs} resyncs");
        Assert.Equal(Module.ReadsSent, Bench.Reads.Count);
        Assert.Equal(20 * 24, Module.GarbageBytesSent);
        Assert.InRange(driver.Counters.SkippedBytes, (20 * 24) - 10, 20 * 24);
        Assert.Equal(ReaderState.Reading, driver.State);
    }

    [Fact]
    public void AGarbageStorm_RestartsTheModule_AndReadingResumesWhenItEnds()
    {
        Bench.Tags.Add(ReaderRig.Epc(6), 1_000_000, 40_000_000, 20, RssiCurve.Flat(-6000));
        var driver = Start();
        Bench.Run(1_500_000);

        Module.GarbageBytesPerSecond = 3000;
        Bench.Run(1_000_000);

        Assert.True(driver.Counters.GarbageRestarts >= 1);
        Assert.Equal(ReaderRestartReason.GarbageStorm, driver.LastRestartReason);
        Module.GarbageBytesPerSecond = 0;
        Assert.True(Bench.RunUntil(() => driver.State == ReaderState.Reading && ModuleIsReading, 20_000_000));
        var before = Bench.Reads.Count;
        Bench.Run(2_000_000);
        Assert.True(Bench.Reads.Count >= before + 20, $"{Bench.Reads.Count - before} reads after the storm");
    }

    [Fact]
    public void AModuleGoneSilent_IsRestarted_Reconfigured_AndReadsAgain()
    {
        Bench.Tags.Add(ReaderRig.Epc(3), 1_000_000, 30_000_000, 20, RssiCurve.Flat(-6000));
        var driver = Start();
        Bench.Run(2_000_000);
        var configured = Module.CommandsReceived;

        Module.SilenceFor(5_000_000);
        Assert.True(Bench.RunUntil(() => driver.Counters.SilenceRestarts == 1, 4_000_000));
        Assert.True(Bench.RunUntil(() => driver.State == ReaderState.Reading && ModuleIsReading, 15_000_000));
        var before = Bench.Reads.Count;
        Bench.Run(2_000_000);

        Assert.True(Module.CommandsReceived > configured);
        Assert.True(Bench.Reads.Count >= before + 30, $"{Bench.Reads.Count - before} reads after the restart");
        Assert.Equal(ReaderState.Reading, driver.State);
    }

    [Fact]
    public void AModuleAtAnotherLineSpeed_IsFoundByTryingTheNextRate()
    {
        Module.SetBaudRate(9600);
        Bench.Tags.Add(ReaderRig.Epc(10), 1_000_000, 30_000_000, 5, RssiCurve.Flat(-6000));
        var driver = Start([115200, 9600]);

        Assert.True(Bench.RunUntil(() => driver.State == ReaderState.Reading, 10_000_000));
        Bench.Run(3_000_000);

        Assert.Equal(9600, driver.BaudRate);
        Assert.Equal(9600, Bench.Line.UnitEnd.BaudRate);
        Assert.True(driver.Counters.Restarts >= 1);
        Assert.True(Bench.Reads.Count >= 5, $"{Bench.Reads.Count} reads");
        Assert.Equal(Module.ReadsSent, Bench.Reads.Count);
        Assert.All(Bench.Reads, r => Assert.True(r.EpcEquals(ReaderRig.Epc(10), 0, 12)));
    }

    [Fact]
    public void AModuleAtAnUntriedLineSpeed_NeverReads_AndTheDriverKeepsTrying()
    {
        Module.SetBaudRate(57600);
        var driver = Start();

        Bench.Run(20_000_000);

        Assert.DoesNotContain(ReaderState.Reading, Bench.States);
        Assert.True(driver.Counters.Restarts >= 3);
        Assert.Empty(Bench.Reads);
    }

    [Fact]
    public void Stop_StopsTheModuleReading_AndNoReadFollows()
    {
        Bench.Tags.Add(ReaderRig.Epc(7), 1_000_000, 10_000_000, 20, RssiCurve.Flat(-6000));
        var driver = Start();
        Bench.Run(2_000_000);
        Assert.NotEmpty(Bench.Reads);

        driver.Stop();
        Bench.Run(200_000);
        var atStop = Bench.Reads.Count;
        Bench.Run(2_000_000);

        Assert.Equal(ReaderState.Stopped, driver.State);
        Assert.False(ModuleIsReading);
        Assert.Equal(atStop, Bench.Reads.Count);
    }

    [Fact]
    public void CorruptedFrames_AreCountedAsCrcErrors_AndTheReadsAroundThemArrive()
    {
        Bench.Tags.Add(ReaderRig.Epc(11), 1_000_000, 6_000_000, 40, RssiCurve.Flat(-6000));
        var driver = Start();
        Bench.Run(2_000_000);
        var before = Bench.Reads.Count;

        Module.BreakNextChecksums(3);
        Bench.Run(2_000_000);

        Assert.Equal(3, Module.FramesCorrupted);
        Assert.Equal(3, driver.Counters.CrcErrors);
        Assert.Equal(0, driver.Counters.Restarts);
        Assert.Equal(ReaderState.Reading, driver.State);

        // At most the three corrupted frames were reads; every other read sent arrived, counted once.
        Assert.InRange(Bench.Reads.Count, Module.ReadsSent - 3, Module.ReadsSent);
        Assert.True(Bench.Reads.Count >= before + 30, $"{Bench.Reads.Count - before} reads after the corruption");
        Assert.Equal(Bench.Reads.Count, driver.Counters.TagReads);
    }

    [Fact]
    public void APortThatFailsToRead_RestartsTheModule_AndReadingResumesWhenItWorks()
    {
        Bench.Tags.Add(ReaderRig.Epc(12), 1_000_000, 40_000_000, 20, RssiCurve.Flat(-6000));
        var port = new FlakyPort(Bench.Line.UnitEnd);
        var driver = Start(port: port);
        Bench.Run(2_000_000);
        Assert.Equal(ReaderState.Reading, driver.State);

        port.FailReads = true;
        Bench.Run(100_000);

        Assert.Equal(ReaderRestartReason.PortError, driver.LastRestartReason);
        Assert.True(driver.Counters.PortErrors >= 1);
        Assert.True(driver.Counters.Restarts >= 1);
        Assert.NotEqual(ReaderState.Reading, driver.State);
        port.FailReads = false;
        Assert.True(Bench.RunUntil(() => driver.State == ReaderState.Reading && ModuleIsReading, 15_000_000));
        var before = Bench.Reads.Count;
        Bench.Run(2_000_000);
        Assert.True(Bench.Reads.Count >= before + 20, $"{Bench.Reads.Count - before} reads after the port came back");
    }

    [Fact]
    public void APortThatFailsToWrite_RestartsTheModule_AndTheDriverKeepsTrying()
    {
        var port = new FlakyPort(Bench.Line.UnitEnd) { FailWrites = true };
        var driver = Start(port: port);

        Bench.Run(5_000_000);

        Assert.DoesNotContain(ReaderState.Reading, Bench.States);
        Assert.Equal(ReaderRestartReason.PortError, driver.LastRestartReason);
        Assert.True(driver.Counters.PortErrors >= 2, $"{driver.Counters.PortErrors} port errors");
        port.FailWrites = false;
        Assert.True(Bench.RunUntil(() => driver.State == ReaderState.Reading, 20_000_000));
    }

    /// <summary>Creates the protocol's driver with default options.</summary>
    /// <param name="port">The unit's end of the line to the module.</param>
    /// <param name="baudRates">Line speeds to try, first first; null for the protocol's default.</param>
    /// <returns>The driver, not started.</returns>
    protected abstract ReaderDriver CreateDriver(IBytePort port, int[]? baudRates);

    private ReaderDriver Start(int[]? baudRates = null, IBytePort? port = null)
    {
        var driver = CreateDriver(port ?? Bench.Line.UnitEnd, baudRates);
        Bench.Driver = driver;
        driver.Start();
        return driver;
    }
}
