using TimingMat.Core.Hardware;
using TimingMat.Core.Reader;
using TimingMat.Core.Reader.R2000;
using TimingMat.Emulators.Reader;

namespace TimingMat.Core.Tests.Reader;

/// <summary>The R2000 driver keeps the reader-driver contract against its emulator.</summary>
public sealed class R2000ReaderDriverContractTests : ReaderDriverContractTests
{
    private readonly R2000ModuleEmulator _module;

    public R2000ReaderDriverContractTests()
    {
        _module = new R2000ModuleEmulator(Bench.Line, Bench.Tags, seed: 4);
        Bench.Module = _module;
    }

    protected override ReaderModuleEmulator Module => _module;

    // The R2000 has no streaming mode: it reads while an inventory round runs, and the driver issues them back to back.
    protected override bool ModuleIsReading => _module.IsInventorying;

    protected override ReaderDriver CreateDriver(IBytePort port, int[]? baudRates)
    {
        var options = new R2000ReaderOptions();
        if (baudRates != null)
        {
            options.BaudRates = baudRates;
        }

        return new R2000ReaderDriver(port, Bench.Clock, Bench, options);
    }
}
