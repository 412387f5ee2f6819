using TimingMat.Core.Hardware;
using TimingMat.Core.Reader;
using TimingMat.Core.Reader.Mercury;
using TimingMat.Emulators.Reader;

namespace TimingMat.Core.Tests.Reader;

/// <summary>The Mercury (M6e Nano) driver keeps the reader-driver contract against its emulator.</summary>
public sealed class MercuryReaderDriverContractTests : ReaderDriverContractTests
{
    private readonly MercuryNanoEmulator _module;

    public MercuryReaderDriverContractTests()
    {
        _module = new MercuryNanoEmulator(Bench.Line, Bench.Tags, seed: 3);
        Bench.Module = _module;
    }

    protected override ReaderModuleEmulator Module => _module;

    protected override bool ModuleIsReading => _module.IsReading;

    protected override ReaderDriver CreateDriver(IBytePort port, int[]? baudRates)
    {
        var options = new MercuryReaderOptions();
        if (baudRates != null)
        {
            options.BaudRates = baudRates;
        }

        return new MercuryReaderDriver(port, Bench.Clock, Bench, options);
    }
}
