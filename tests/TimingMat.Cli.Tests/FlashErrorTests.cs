using TimingMat.Cli.Infrastructure;
using Xunit;

namespace TimingMat.Cli.Tests;

/// <summary>
/// <c>timingmat flash</c> stopping at a missing nanoff, an image that is not built and a board whose console never
/// answers, each with what to do (<see cref="ProvisioningTests"/>'s race file, nanoff stand-in and boards). Beside the
/// other tests, not alone like <see cref="ProvisioningTests"/>' evenings: nothing here runs against a time limit a busy
/// host could break; the silent board is the flash's 30 s wait for the console, a wait, not a measurement.
/// </summary>
public sealed class FlashErrorTests : IDisposable
{
    private readonly TempFolder _dir = new("tm-flash-");

    [Fact]
    public void MissingNanoff_MissingImage_AndABoardThatDoesNotAnswer_SayWhatToDo()
    {
        var race = _dir.Write("race.cfg", ProvisioningTests.RaceFile("mqtt://127.0.0.1:1"));
        var (code, _, stderr) = CliRunner.InProcess("flash", "--board", ProvisioningTests.Board("esp32-devkitc"), "--port", "/dev/ttyUSB0", "--unit", "km05", "--config", race, "--image", ProvisioningTests.ImageFolder(_dir), "--nanoff", _dir.PathOf("no-nanoff-here"));
        Assert.Equal((int)ExitCode.ToolMissing, code);
        Assert.Contains("fix: install it with: dotnet tool install -g nanoff", stderr, StringComparison.Ordinal);

        var empty = Directory.CreateDirectory(_dir.PathOf("bin-Release")).FullName;
        File.WriteAllText(Path.Combine(empty, "TimingMat.Device.pe"), "pe");
        (code, _, stderr) = CliRunner.InProcess("flash", "--board", ProvisioningTests.Board("esp32-devkitc"), "--port", "/dev/ttyUSB0", "--unit", "km05", "--config", race, "--image", empty, "--nanoff", ProvisioningTests.StandIn(_dir, "2.5.101").Script);
        Assert.Equal((int)ExitCode.FileNotFound, code);
        Assert.Contains("the application image is not built: " + empty + " holds TimingMat.Device.pe but no TimingMat.Device.bin", stderr, StringComparison.Ordinal);

        // nanoff succeeds but nothing answers on the console afterwards: which step, and what to check.
        var silent = TempFolder.Tcp(ProvisioningTests.FreePort());
        (code, _, stderr) = CliRunner.InProcess("flash", "--board", ProvisioningTests.Board("esp32-devkitc"), "--port", "/dev/ttyUSB0", "--console", silent, "--unit", "km05", "--config", race, "--image", ProvisioningTests.ImageFolder(_dir), "--nanoff", ProvisioningTests.StandIn(_dir, "2.5.101").Script);
        Assert.Equal((int)ExitCode.PortUnavailable, code);
        Assert.Contains("km05 at 'console': the console port " + silent + " cannot be opened", stderr, StringComparison.Ordinal);
        Assert.Contains("fix: check that the unit is on the network and serves its console", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
