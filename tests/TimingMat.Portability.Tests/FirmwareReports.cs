using TimingMat.Portability.Tests.Guard;

namespace TimingMat.Portability.Tests;

/// <summary>Checks each firmware project once per test run; the device projects reference the core's compilation.</summary>
internal static class FirmwareReports
{
    private static readonly Lazy<PortabilityReport> s_core = new(() => PortabilityChecker.CheckProject("TimingMat.Core", RepoPaths.Core));
    private static readonly Lazy<PortabilityReport> s_device = new(() => PortabilityChecker.CheckProject("TimingMat.Device", RepoPaths.Device, Core));
    private static readonly Lazy<PortabilityReport> s_deviceTests = new(() => PortabilityChecker.CheckProject("NFUnitTest", RepoPaths.DeviceTests, Core, Device));

    public static PortabilityReport Core => s_core.Value;

    public static PortabilityReport Device => s_device.Value;

    public static PortabilityReport DeviceTests => s_deviceTests.Value;

    /// <summary>Gets a report by project name, for theories over every firmware project.</summary>
    public static PortabilityReport Get(string project) => project switch
    {
        "TimingMat.Core" => Core,
        "TimingMat.Device" => Device,
        "NFUnitTest" => DeviceTests,
        _ => throw new ArgumentOutOfRangeException(nameof(project), project, "not a firmware project"),
    };
}
