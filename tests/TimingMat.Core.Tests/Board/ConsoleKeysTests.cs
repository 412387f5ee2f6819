using TimingMat.Core.Board;
using Xunit;

namespace TimingMat.Core.Tests.Board;

/// <summary>The serial console's keys: it borrows the GPS's UART, on two pins of its own that nothing else uses.</summary>
public class ConsoleKeysTests
{
    private const string Valid = BoardProfileTests.Valid;

    [Fact]
    public void NoConsoleKeys_ServeTheConsoleOnTheNetworkOnly()
    {
        Assert.Null(BoardProfile.Parse(Valid).Console);
    }

    [Fact]
    public void ConsoleKeys_BorrowTheGpsUart_OnTheirOwnPins_AtTheSpeedTheHostToolsSpeak()
    {
        var board = BoardProfile.Parse(Valid + "\nconsole.uart = com3\nconsole.rx = 33\nconsole.tx = 21\n");

        Assert.Equal(("COM3", 33, 21, 115200), (board.Console!.Port, board.Console.RxPin, board.Console.TxPin, board.Console.Baud));
        Assert.Equal(("COM3", 34, 32, 9600), (board.Gps.Port, board.Gps.RxPin, board.Gps.TxPin, board.Gps.Baud));
    }

    [Theory]
    [InlineData("console.uart = COM2\nconsole.rx = 33\nconsole.tx = 21", 12, "'console.uart' = COM2: the console can only borrow the GPS's UART (COM3)")]
    [InlineData("console.uart = COM1\nconsole.rx = 33\nconsole.tx = 21", 12, "'console.uart' must be COM2 or COM3")]
    [InlineData("console.uart = COM3\nconsole.rx = 33", 0, "'console.tx' is required")]
    [InlineData("console.rx = 33\nconsole.tx = 21", 0, "'console.uart' is required")]
    [InlineData("console.baud = 9600", 12, "unknown key 'console.baud'")]
    [InlineData("console.uart = COM3\nconsole.rx = 13\nconsole.tx = 21", 13, "GPIO 13 is used by both 'reader.rx' and 'console.rx'")]
    [InlineData("console.uart = COM3\nconsole.rx = 33\nconsole.tx = 32", 14, "GPIO 32 is used by both 'gps.tx' and 'console.tx'")]
    [InlineData("console.uart = COM3\nconsole.rx = 39\nconsole.tx = 21", 13, "'console.rx' = 39: the board tells a plugged adapter by this pin's internal pull-down")]
    [InlineData("console.uart = COM3\nconsole.rx = 33\nconsole.tx = 36", 14, "'console.tx' = 36: GPIO 34–39 are input-only")]
    [InlineData("console.uart = COM3\nconsole.rx = 3\nconsole.tx = 21", 13, "'console.rx' = 3: GPIO 1/3 are UART0, nanoFramework's wire protocol")]
    [InlineData("console.uart = COM3\nconsole.rx = 33\nconsole.tx = 1", 14, "'console.tx' = 1: GPIO 1/3 are UART0")]
    public void BadConsoleKeys_AreRejected_WithTheirLine(string lines, int line, string message)
    {
        var error = Assert.Throws<BoardProfileException>(() => BoardProfile.Parse(Valid + "\n" + lines + "\n"));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(line, error.Line);
    }

    [Fact]
    public void ConsolePins_ClashWithTheLoraRadioAndThePmu()
    {
        var lora = "\nlora.bus = 1\nlora.mosi = 23\nlora.miso = 19\nlora.sck = 18\nlora.cs = 5\nlora.reset = 14\nlora.dio0 = 26\n";
        var radio = Assert.Throws<BoardProfileException>(() => BoardProfile.Parse(Valid + lora + "console.uart = COM3\nconsole.rx = 33\nconsole.tx = 18\n"));
        Assert.Contains("GPIO 18 is used by both 'lora.sck' and 'console.tx'", radio.Message, StringComparison.Ordinal);

        var pmu = Assert.Throws<BoardProfileException>(() => BoardProfile.Parse(Valid + "\npmu = axp192\nconsole.uart = COM3\nconsole.rx = 33\nconsole.tx = 22\n"));
        Assert.Contains("'console.tx' = 22: the PMU's I2C bus", pmu.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("esp32-devkitc", 33, 21)]
    [InlineData("lilygo-tbeam", 4, 15)]
    public void BoardsWithoutEthernet_ServeTheSerialConsole_OnTwoFreePins(string name, int rx, int tx)
    {
        var board = BoardProfile.Parse(File.ReadAllText(RepoFiles.PathOf("boards", name, "board.cfg")));

        Assert.Equal(("COM3", rx, tx, 115200), (board.Console!.Port, board.Console.RxPin, board.Console.TxPin, board.Console.Baud));
        Assert.Equal(board.Gps.Port, board.Console.Port);
    }

    [Fact]
    public void Wt32Eth01_HasNoSerialConsole_ItsEthernetReachesTheNetworkConsole()
    {
        Assert.Null(BoardProfile.Parse(File.ReadAllText(RepoFiles.PathOf("boards", "wt32-eth01", "board.cfg"))).Console);
    }

    [Fact]
    public void Wt32Eth01_CommentedConsole_ParsesWhenSwitchedOn()
    {
        var text = File.ReadAllText(RepoFiles.PathOf("boards", "wt32-eth01", "board.cfg")).Replace("# console.", "console.", StringComparison.Ordinal);

        Assert.Equal(("COM3", 33, 12), (BoardProfile.Parse(text).Console!.Port, BoardProfile.Parse(text).Console!.RxPin, BoardProfile.Parse(text).Console!.TxPin));
    }
}
