using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using TimingMat.Portability.Tests.Guard;
using Xunit;

namespace TimingMat.Portability.Tests;

/// <summary>
/// The three nanoFramework projects compile against the real nanoFramework assemblies at the versions they declare
/// (nanoframework-ref's reference assemblies and nf-compile), as Visual Studio would build them: a project that fails
/// here would not build for a board.
/// </summary>
public class NfCompileTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("nf-compile-").FullName;

    [RequiresNanoFrameworkRefFact]
    public void Core_CompilesWithoutErrorsOrWarnings()
    {
        var result = NfCompile.Run(RepoPaths.FindNanoFrameworkRef()!, "firmware/TimingMat.Core/TimingMat.Core.nfproj", RepoPaths.Root);

        Assert.True(result.ExitCode == 0 && result.Errors == 0 && result.Warnings == 0, result.Output);

        // No board constructs the SPI-UART bridge yet: the default image leaves it out.
        Assert.Contains("Bridge/Sc16is752Bridge.cs", result.Output, StringComparison.Ordinal);
    }

    [RequiresNanoFrameworkRefFact]
    public void Core_WithTheSpiUartBridge_CompilesWithoutErrorsOrWarnings()
    {
        // The same project with the switch on, in a scratch folder (nf-compile takes no -p): the bridge's sources must
        // still build for the board that turns it on.
        var core = Path.Combine(RepoPaths.Root, "firmware", "TimingMat.Core");
        var text = File.ReadAllText(Path.Combine(core, "TimingMat.Core.nfproj"));
        const string Off = "<SpiUartBridge Condition=\"'$(SpiUartBridge)' == ''\">false</SpiUartBridge>";
        Assert.Contains(Off, text, StringComparison.Ordinal);
        text = text.Replace(Off, "<SpiUartBridge>true</SpiUartBridge>", StringComparison.Ordinal)
            .Replace("<Compile Include=\"", "<Compile Include=\"" + core + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_scratch, "TimingMat.Core.nfproj"), text);
        File.Copy(Path.Combine(core, "packages.config"), Path.Combine(_scratch, "packages.config"));

        var output = Path.Combine(_scratch, "out");

        var result = NfCompile.Run(RepoPaths.FindNanoFrameworkRef()!, Path.Combine(_scratch, "TimingMat.Core.nfproj"), _scratch, output);

        Assert.True(result.ExitCode == 0 && result.Errors == 0 && result.Warnings == 0, result.Output);
        using var assembly = new PEReader(File.OpenRead(Path.Combine(output, "TimingMat.Core", "TimingMat.Core.dll")));
        var metadata = assembly.GetMetadataReader();
        var types = metadata.TypeDefinitions.Select(t => metadata.GetString(metadata.GetTypeDefinition(t).Name)).ToList();
        Assert.Contains("Sc16is752Bridge", types);
        Assert.Contains("MatUnit", types);
    }

    [RequiresNanoFrameworkRefFact]
    public void Device_CompilesWithoutErrors_AndOnlyUnificationWarnings()
    {
        var result = NfCompile.Run(RepoPaths.FindNanoFrameworkRef()!, "firmware/TimingMat.Device/TimingMat.Device.nfproj", RepoPaths.Root);

        Assert.True(result.ExitCode == 0 && result.Errors == 0, result.Output);
        AssertOnlyUnificationWarnings(result);
    }

    [RequiresNanoFrameworkRefFact]
    public void DeviceTests_CompileWithoutErrors_AndOnlyUnificationWarnings()
    {
        var result = NfCompile.Run(RepoPaths.FindNanoFrameworkRef()!, "tests/TimingMat.Device.Tests/TimingMat.Device.Tests.nfproj", RepoPaths.Root);

        Assert.True(result.ExitCode == 0 && result.Errors == 0, result.Output);
        Assert.Contains("nf-compile: firmware/TimingMat.Device/TimingMat.Device.nfproj: 0 errors", result.Output, StringComparison.Ordinal);
        AssertOnlyUnificationWarnings(result);
    }

    [RequiresNanoFrameworkRefFact]
    public void AProjectWithAClashingSet_FailsWithCS1705()
    {
        // System.Device.Gpio 1.1.62 was built against Runtime.Events 1.11.37; referencing 1.11.32 is the clash the
        // device project had before issue 12.
        File.WriteAllText(Path.Combine(_scratch, "Pin.cs"), "public class Pin { public System.Device.Gpio.GpioController Controller; }");
        File.WriteAllText(Path.Combine(_scratch, "packages.config"), """
            <packages>
              <package id="nanoFramework.CoreLibrary" version="1.17.11" targetFramework="netnano1.0" />
              <package id="nanoFramework.Runtime.Events" version="1.11.32" targetFramework="netnano1.0" />
              <package id="nanoFramework.System.Device.Gpio" version="1.1.62" targetFramework="netnano1.0" />
            </packages>
            """);
        File.WriteAllText(Path.Combine(_scratch, "Clash.nfproj"), """
            <Project ToolsVersion="15.0" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
              <PropertyGroup><OutputType>Library</OutputType><AssemblyName>Clash</AssemblyName></PropertyGroup>
              <ItemGroup><Compile Include="Pin.cs" /></ItemGroup>
              <ItemGroup>
                <Reference Include="mscorlib, Version=1.17.11.0, Culture=neutral, PublicKeyToken=c07d481e9758c731"><HintPath>packages\nanoFramework.CoreLibrary.1.17.11\lib\mscorlib.dll</HintPath></Reference>
                <Reference Include="nanoFramework.Runtime.Events, Version=1.11.32.0, Culture=neutral, PublicKeyToken=c07d481e9758c731"><HintPath>packages\nanoFramework.Runtime.Events.1.11.32\lib\nanoFramework.Runtime.Events.dll</HintPath></Reference>
                <Reference Include="System.Device.Gpio, Version=1.1.62.0, Culture=neutral, PublicKeyToken=c07d481e9758c731"><HintPath>packages\nanoFramework.System.Device.Gpio.1.1.62\lib\System.Device.Gpio.dll</HintPath></Reference>
              </ItemGroup>
            </Project>
            """);

        var result = NfCompile.Run(RepoPaths.FindNanoFrameworkRef()!, Path.Combine(_scratch, "Clash.nfproj"), _scratch);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(result.ErrorLines, l => l.Contains("error CS1705", StringComparison.Ordinal) && l.Contains("'System.Device.Gpio'", StringComparison.Ordinal) && l.Contains("nanoFramework.Runtime.Events, Version=1.11.37.0", StringComparison.Ordinal));
        Assert.Contains(result.WarningLines, l => l.Contains("warning NF0003", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static void AssertOnlyUnificationWarnings(NfCompileResult result)
    {
        // CS1702, not an error, for two references older than the set's: System.Device.Gpio, System.IO.Ports, System.Net
        // and others were built against Runtime.Events 1.11.37 (the set has 1.11.39, which Hardware.Esp32 1.6.42 needs),
        // and System.Device.Wifi 1.5.147 against System.Net 1.11.54 (the set has 1.11.60, which M2Mqtt 5.1.220 needs).
        // The compiler unifies an older reference to the newer assembly and says so; the nanoFramework project system
        // does not silence CS1701/CS1702, and the real packages warn alike. A reference to a *newer* version is CS1705.
        string[] allowed =
        [
            "'nanoFramework.Runtime.Events, Version=1.11.37.0, Culture=neutral, PublicKeyToken=c07d481e9758c731' used by 'System.Device.Gpio' matches identity 'nanoFramework.Runtime.Events, Version=1.11.39.0",
            "'System.Net, Version=1.11.54.0, Culture=neutral, PublicKeyToken=c07d481e9758c731' used by 'System.Device.Wifi' matches identity 'System.Net, Version=1.11.60.0",
        ];
        foreach (var line in result.WarningLines)
        {
            Assert.True(line.Contains("warning CS1702", StringComparison.Ordinal) && allowed.Any(a => line.Contains(a, StringComparison.Ordinal)), "unexpected warning: " + line);
        }
    }
}
