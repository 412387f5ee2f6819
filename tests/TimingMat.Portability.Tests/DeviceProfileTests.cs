using Microsoft.CodeAnalysis;
using Xunit;

namespace TimingMat.Portability.Tests;

/// <summary>The board profile compiled into the device app is the one in boards/, not a drifting copy.</summary>
public class DeviceProfileTests
{
    [Fact]
    public void BuiltInBoardProfile_IsIdenticalToBoardsEsp32DevkitcBoardCfg()
    {
        var type = FirmwareReports.Device.Compilation.GetTypeByMetadataName("TimingMat.Device.BringUp.DefaultBoardProfile");
        var text = type?.GetMembers("Text").OfType<IFieldSymbol>().Single().ConstantValue as string;

        Assert.Equal(File.ReadAllText(Path.Combine(Guard.RepoPaths.Root, "boards", "esp32-devkitc", "board.cfg")), text);
    }
}
