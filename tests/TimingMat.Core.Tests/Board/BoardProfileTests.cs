using TimingMat.Core.Board;
using Xunit;

namespace TimingMat.Core.Tests.Board;

public class BoardProfileTests
{
    /// <summary>The smallest valid profile, 11 lines: other board key tests append their keys from line 12.</summary>
    internal const string Valid = """
        board.name = test-board
        board.target = ESP32_REV3
        uplink = wifi
        storage.root = I:\
        reader.uart = COM2
        reader.rx = 13
        reader.tx = 4
        gps.uart = COM3
        gps.rx = 34
        gps.tx = 32
        gps.pps = 35
        """;

    public static TheoryData<string> BoardFiles => new(
        Directory.GetDirectories(RepoFiles.PathOf("boards")).Select(d => Path.Combine(d, "board.cfg")).Where(File.Exists).Select(Path.GetFullPath));

    [Theory]
    [MemberData(nameof(BoardFiles))]
    public void EverySupportedBoardFile_Parses_AndNamesItsFolder(string path)
    {
        var profile = BoardProfile.Parse(File.ReadAllText(path));

        Assert.Equal(Path.GetFileName(Path.GetDirectoryName(path)), profile.Name);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(path)!, "README.md")), "every board has a wiring README");
    }

    [Fact]
    public void DevkitcProfile_HasTheDocumentedWiring()
    {
        var profile = BoardProfile.Parse(File.ReadAllText(RepoFiles.PathOf("boards", "esp32-devkitc", "board.cfg")));

        Assert.Equal("ESP32_PSRAM_REV0", profile.Target);
        Assert.Equal(UplinkKind.Wifi, profile.Uplink);
        Assert.Equal("I:\\", profile.StorageRoot);
        Assert.Equal(("COM2", 13, 4, 115200), (profile.Reader.Port, profile.Reader.RxPin, profile.Reader.TxPin, profile.Reader.Baud));
        Assert.Equal(("COM3", 34, 32, 9600), (profile.Gps.Port, profile.Gps.RxPin, profile.Gps.TxPin, profile.Gps.Baud));
        Assert.Equal(35, profile.PpsPin);
        Assert.NotNull(profile.Lora);
        Assert.Equal((1, 23, 19, 18, 5, 14, 26), (profile.Lora!.Bus, profile.Lora.Mosi, profile.Lora.Miso, profile.Lora.Clock, profile.Lora.ChipSelect, profile.Lora.Reset, profile.Lora.Interrupt));
        Assert.Equal(2, profile.LedPin);
        Assert.Equal(27, profile.BenchPpsDrivePin);
    }

    [Fact]
    public void MinimalProfile_UsesDefaults_ForOptionalKeys()
    {
        var profile = BoardProfile.Parse(Valid);

        Assert.Null(profile.Lora);
        Assert.Equal(-1, profile.LedPin);
        Assert.Equal(115200, profile.Reader.Baud);
        Assert.Equal(9600, profile.Gps.Baud);
    }

    [Fact]
    public void CommentsBlankLinesAndWindowsLineEnds_AreAccepted()
    {
        var profile = BoardProfile.Parse("# a comment\r\n\r\n" + Valid.Replace("\n", "   # trailing\r\n"));

        Assert.Equal("test-board", profile.Name);
        Assert.Equal(35, profile.PpsPin);
    }

    [Theory]
    [InlineData("colour = red", 12, "unknown key 'colour'")]
    [InlineData("reader.baud = fast", 12, "'reader.baud' must be a whole number")]
    [InlineData("reader.baud = 300", 12, "between 1200 and 921600")]
    [InlineData("just some words", 12, "expected 'key = value'")]
    [InlineData("gps.pps = 27", 12, "'gps.pps' is already set on line 11")]
    [InlineData("led =", 12, "'led' has no value")]
    [InlineData("led = 13", 12, "GPIO 13 is used by both 'reader.rx' and 'led'")]
    [InlineData("led = 36", 12, "input-only")]
    [InlineData("led = 7", 12, "SPI flash")]
    [InlineData("led = 24", 12, "no such GPIO")]
    [InlineData("lora.bus = 1", 0, "'lora.mosi' is required")]
    public void InvalidLine_IsRejected_WithItsLineAndReason(string extraLine, int line, string reason)
    {
        var error = Assert.Throws<BoardProfileException>(() => BoardProfile.Parse(Valid + "\n" + extraLine));

        Assert.Equal(line, error.Line);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("board.name = x\n", "'board.target' is required")]
    [InlineData("", "'board.name' is required")]
    public void MissingRequiredKey_IsRejected(string text, string reason)
    {
        var error = Assert.Throws<BoardProfileException>(() => BoardProfile.Parse(text));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PsramTarget_RejectsGpio16And17()
    {
        var text = Valid.Replace("ESP32_REV3", "ESP32_PSRAM_REV0").Replace("reader.rx = 13", "reader.rx = 16");

        var error = Assert.Throws<BoardProfileException>(() => BoardProfile.Parse(text));

        Assert.Contains("PSRAM", error.Message, StringComparison.Ordinal);
        Assert.Equal(6, error.Line);
    }

    [Theory]
    [InlineData("ESP32_PSRAM_REV0")]
    [InlineData("ESP32_WT32_ETH01")]
    [InlineData("ESP32_REV0")]
    public void ClassicEsp32Targets_ApplyTheEsp32PinRules(string target)
    {
        var error = Assert.Throws<BoardProfileException>(() => BoardProfile.Parse(Valid.Replace("ESP32_REV3", target) + "\nled = 36"));

        Assert.Contains("input-only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonClassicTarget_SkipsEsp32PinRules()
    {
        var profile = BoardProfile.Parse(Valid.Replace("ESP32_REV3", "ESP32_S3").Replace("gps.tx = 32", "gps.tx = 40"));

        Assert.Equal(40, profile.Gps.TxPin);
    }

    [Fact]
    public void EthernetUplink_RejectsTheRmiiPins()
    {
        var text = Valid.Replace("uplink = wifi", "uplink = ethernet").Replace("reader.rx = 13", "reader.rx = 25");

        var error = Assert.Throws<BoardProfileException>(() => BoardProfile.Parse(text));

        Assert.Contains("RMII", error.Message, StringComparison.Ordinal);
        Assert.Equal(6, error.Line);
        Assert.Equal(25, BoardProfile.Parse(text.Replace("uplink = ethernet", "uplink = wifi")).Reader.RxPin);
    }

    [Fact]
    public void BenchPpsDrivePin_IsOptional_AndMustDriveAnOutput()
    {
        Assert.Equal(-1, BoardProfile.Parse(Valid).BenchPpsDrivePin);
        Assert.Equal(27, BoardProfile.Parse(Valid + "\nbench.pps_drive = 27").BenchPpsDrivePin);
        Assert.Throws<BoardProfileException>(() => BoardProfile.Parse(Valid + "\nbench.pps_drive = 39"));
    }

    [Fact]
    public void ReaderAndGpsOnTheSameUart_IsRejected()
    {
        var error = Assert.Throws<BoardProfileException>(() => BoardProfile.Parse(Valid.Replace("gps.uart = COM3", "gps.uart = COM2")));

        Assert.Contains("cannot share COM2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConsoleUart_IsRejected()
    {
        var error = Assert.Throws<BoardProfileException>(() => BoardProfile.Parse(Valid.Replace("reader.uart = COM2", "reader.uart = COM1")));

        Assert.Contains("debug console", error.Message, StringComparison.Ordinal);
    }
}
