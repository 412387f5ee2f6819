using TimingMat.Portability.Tests.Guard;
using Xunit;

namespace TimingMat.Portability.Tests;

/// <summary>
/// Allow-list entries of packages without a listing file are checked against a rendering of the package's reference
/// assembly. The rendering must say exactly what the listing files say where both exist, or such checks would pass
/// or fail for the wrong reason.
/// </summary>
public class ReferenceListingTests
{
    public static TheoryData<string, string, string> ListedPackages => new()
    {
        { "System.Device.Gpio.txt", "nanoFramework.System.Device.Gpio", "1.1.62" },
        { "System.Device.Spi.txt", "nanoFramework.System.Device.Spi", "1.3.89" },
        { "System.Device.Wifi.txt", "nanoFramework.System.Device.Wifi", "1.5.147" },
        { "System.IO.Ports.txt", "nanoFramework.System.IO.Ports", "1.1.139" },
        { "System.Net.txt", "nanoFramework.System.Net", "1.11.60" },
        { "nanoFramework.Hardware.Esp32.txt", "nanoFramework.Hardware.Esp32", "1.6.42" },
        { "nanoFramework.Runtime.Native.txt", "nanoFramework.Runtime.Native", "1.7.11" },
    };

    [RequiresListingsAndNanoFrameworkRefTheory]
    [MemberData(nameof(ListedPackages))]
    public void RenderedReferenceAssembly_IsLineForLineTheListing(string listingFile, string packageId, string version)
    {
        var listingPath = Path.Combine(RepoPaths.FindApiReference()!, listingFile);
        var kit = RepoPaths.FindNanoFrameworkRef()!;

        var rendered = ReferenceListing.Render(Path.Combine(kit, packageId + "." + version, Path.ChangeExtension(listingFile, ".dll")), Path.Combine(kit, "nanoFramework.CoreLibrary.1.17.11", "mscorlib.dll"));
        var listed = File.ReadAllLines(listingPath).Where(l => l.Length > 0).ToList();

        Assert.True(listed.ToHashSet(StringComparer.Ordinal).SetEquals(rendered),
            "only in the listing:\n" + string.Join("\n", listed.Except(rendered)) + "\nonly in the rendering:\n" + string.Join("\n", rendered.Except(listed)));
    }

    [RequiresNanoFrameworkRefFact]
    public void PackagesWithoutAListing_AreRenderedFromTheirAssembly()
    {
        var kit = RepoPaths.FindNanoFrameworkRef()!;

        var adc = ReferenceListing.FromKit(kit, "nanoFramework.System.Device.Adc", "1.1.24", "System.Device.Adc.txt");
        var crypto = ReferenceListing.FromKit(kit, "nanoFramework.System.Security.Cryptography", "1.0.43", "nanoFramework.System.Security.Cryptography.txt");

        Assert.NotNull(adc);
        Assert.True(adc.HasMember("class System.Device.Adc.AdcChannel : AdcChannelBase", "Int32 ReadValue()"));
        Assert.NotNull(crypto);
        Assert.True(crypto.HasMember("class System.Security.Cryptography.HMACSHA256", "static Byte[] HashData(Byte[] key, Byte[] source)"));
        Assert.Null(ReferenceListing.FromKit(kit, "nanoFramework.System.Device.Adc", "9.9.9", "System.Device.Adc.txt"));
    }
}
