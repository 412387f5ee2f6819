using System.Globalization;
using System.Text.RegularExpressions;
using TimingMat.Core.Board;
using TimingMat.Core.Journal;
using Xunit;

namespace TimingMat.Core.Tests.Board;

/// <summary>The keys the device adapters need (issue 12): PSRAM and TLS, power, buzzer, Ethernet PHY, storage and SD wiring.</summary>
public class BoardKeysTests
{
    private const string Valid = """
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

    private const string Lora = """

        lora.bus = 1
        lora.mosi = 23
        lora.miso = 19
        lora.sck = 18
        lora.cs = 5
        lora.reset = 14
        lora.dio0 = 26
        """;

    // 35,000 runners in about three hours.
    private const int BusyFinishPerHour = 35_000 / 3;

    public static TheoryData<string> Boards => new(Directory.GetDirectories(RepoFiles.PathOf("boards")).Where(d => File.Exists(Path.Combine(d, "board.cfg"))).Select(Path.GetFileName)!);

    [Fact]
    public void TBeam_HasItsKnownWiring()
    {
        // LilyGO T-Beam v1.1: LoRa SCK 5 / MISO 19 / MOSI 27 / NSS 18 / RST 23 / DIO0 26, GPS TX→34, RX←12,
        // TIMEPULSE on 37, AXP192 on I2C 21/22, ESP32-D0WDQ6-V3 with 8 MB PSRAM.
        var board = BoardProfile.Parse(File.ReadAllText(RepoFiles.PathOf("boards", "lilygo-tbeam", "board.cfg")));

        Assert.Equal("ESP32_PSRAM_REV3", board.Target);
        Assert.True(board.HasPsram);
        Assert.True(board.TlsAllowed);
        Assert.Equal(UplinkKind.Wifi, board.Uplink);
        Assert.Equal(("COM3", 34, 12, 9600), (board.Gps.Port, board.Gps.RxPin, board.Gps.TxPin, board.Gps.Baud));
        Assert.Equal(37, board.PpsPin);
        Assert.Equal((1, 27, 19, 5, 18, 23, 26, 8_000_000), (board.Lora!.Bus, board.Lora.Mosi, board.Lora.Miso, board.Lora.Clock, board.Lora.ChipSelect, board.Lora.Reset, board.Lora.Interrupt, board.Lora.ClockHz));
        Assert.Equal(PmuKind.Axp192, board.Pmu);
        Assert.Equal(-1, board.BatteryAdcPin);
        Assert.Equal(("COM2", 13, 14), (board.Reader.Port, board.Reader.RxPin, board.Reader.TxPin));
        Assert.Equal(25, board.BuzzerPin);
        Assert.Equal(("I:\\", SdInterface.None, 192), (board.StorageRoot, board.Sd, board.StorageCapacityKb));
    }

    [Fact]
    public void Wt32Eth01_KeepsItsJournalOnAnSdCardInTheSdmmcSlot()
    {
        var board = BoardProfile.Parse(File.ReadAllText(RepoFiles.PathOf("boards", "wt32-eth01", "board.cfg")));

        Assert.Equal(("D:\\", SdInterface.Mmc1Bit, "lan8720"), (board.StorageRoot, board.Sd, board.EthernetPhy));
        Assert.False(board.TlsAllowed);
        Assert.Equal((39, 3, 560_000, 100_000), (board.BatteryAdcPin, board.BatteryAdcChannel, board.BatteryDividerTopOhms, board.BatteryDividerBottomOhms));
        Assert.Equal(32, board.BenchPpsDrivePin);
    }

    [Theory]
    [MemberData(nameof(Boards))]
    public void BoardReadme_StatesTheJournalCapacityOfItsBoardFile(string name)
    {
        var board = BoardProfile.Parse(File.ReadAllText(RepoFiles.PathOf("boards", name, "board.cfg")));
        var readme = File.ReadAllText(RepoFiles.PathOf("boards", name, "README.md"));
        var passings = JournalCapacity.Passings(board);
        var minutes = JournalCapacity.OutageMinutes(passings, BusyFinishPerHour);

        var stated = Regex.Match(readme, @"Journal capacity: \*\*(?<p>[\d,]+) passings\*\*,\s+\*\*(?<t>[\d,]+) (?<u>minutes|hours)\*\*");
        Assert.True(stated.Success, $"boards/{name}/README.md has no 'Journal capacity: **N passings**, **T minutes|hours**' line");
        Assert.Equal(passings.ToString("N0", CultureInfo.InvariantCulture), stated.Groups["p"].Value);
        var time = stated.Groups["u"].Value == "minutes" ? minutes : minutes / 60;
        Assert.Equal(time.ToString("N0", CultureInfo.InvariantCulture), stated.Groups["t"].Value);
    }

    [Fact]
    public void JournalCapacity_CountsWholeSegmentsOfRealRecords()
    {
        Assert.Equal(67, JournalCapacity.RecordBytes);
        Assert.Equal(14 + 41 + 12, JournalFrame.OverheadBytes + PassingBody.FixedBytes + 12);

        // 192 KB of flash: three 64 KB segments of (65,536 - 32) / 67 = 977 records.
        Assert.Equal(2_931, JournalCapacity.Passings(192, JournalCapacity.FlashSegmentBytes));
        Assert.Equal(15, JournalCapacity.OutageMinutes(2_931, BusyFinishPerHour));
        Assert.Equal(2_931, JournalCapacity.Passings(255, JournalCapacity.FlashSegmentBytes));
    }

    [Fact]
    public void Tls_IsRefused_OnABoardWithoutPsram()
    {
        var without = BoardProfile.Parse(Valid);
        var with = BoardProfile.Parse(Valid + "\nboard.psram = yes");

        var error = Assert.Throws<BoardProfileException>(() => without.CheckTls(true));
        without.CheckTls(false);
        with.CheckTls(true);

        Assert.Contains("TLS needs PSRAM", error.Message, StringComparison.Ordinal);
        Assert.False(without.HasPsram);
        Assert.True(with.TlsAllowed);
    }

    [Fact]
    public void Battery_OnAnAdc1Pin_GivesItsChannelAndDivider()
    {
        var board = BoardProfile.Parse(Valid + "\nbattery.adc = 33\nbattery.r_top = 100000\nbattery.r_bottom = 100000");

        Assert.Equal((33, 5, 100_000, 100_000), (board.BatteryAdcPin, board.BatteryAdcChannel, board.BatteryDividerTopOhms, board.BatteryDividerBottomOhms));
    }

    [Theory]
    [InlineData("board.psram = maybe", 12, "'board.psram' must be yes or no")]
    [InlineData("battery.adc = 25\nbattery.r_top = 1\nbattery.r_bottom = 1", 12, "ADC1 GPIO (32–39)")]
    [InlineData("battery.adc = 33", 0, "'battery.r_top' is required")]
    [InlineData("battery.r_top = 100000", 12, "needs 'battery.adc'")]
    [InlineData("pmu = axp192\nbattery.adc = 33\nbattery.r_top = 1\nbattery.r_bottom = 1", 13, "both measure the battery")]
    [InlineData("pmu = axp193", 12, "'pmu' must be none, axp192")]
    [InlineData("pmu = axp2101\nled = 21", 13, "PMU's I2C bus")]
    [InlineData("ethernet.phy = lan8720", 12, "only for 'uplink = ethernet'")]
    [InlineData("buzzer = 36", 12, "input-only")]
    [InlineData("buzzer = 13", 12, "GPIO 13 is used by both 'reader.rx' and 'buzzer'")]
    [InlineData("lora.clock_hz = 8000000", 12, "needs the radio's wiring")]
    [InlineData("sd.interface = mmc1", 12, "only for 'storage.root = D:\\'")]
    [InlineData("storage.capacity_kb = 32", 12, "at least 64")]
    public void InvalidKey_IsRejected_WithItsLineAndReason(string extra, int line, string reason)
    {
        var error = Assert.Throws<BoardProfileException>(() => BoardProfile.Parse(Valid + "\n" + extra));

        Assert.Equal(line, error.Line);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "'sd.interface' is required")]
    [InlineData("\nsd.interface = mmc1", "'storage.capacity_kb' is required")]
    [InlineData("\nsd.interface = mmc1\nstorage.capacity_kb = 1000\nled = 15", "SD card (SDMMC slot")]
    [InlineData("\nsd.interface = spi\nsd.cs = 33\nstorage.capacity_kb = 1000", "shares the LoRa radio's SPI bus")]
    [InlineData("\nsd.interface = mmc1\nsd.cs = 33\nstorage.capacity_kb = 1000", "'sd.cs' is only for 'sd.interface = spi'")]
    public void SdCardJournal_NeedsItsWiringAndCapacity(string extra, string reason)
    {
        var error = Assert.Throws<BoardProfileException>(() => BoardProfile.Parse(Valid.Replace("storage.root = I:\\", "storage.root = D:\\") + extra));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SdCardOnTheLoraBus_TakesItsChipSelect_AndTheSdSegmentSize()
    {
        var board = BoardProfile.Parse(Valid.Replace("storage.root = I:\\", "storage.root = D:\\") + Lora + "\nsd.interface = spi\nsd.cs = 33\nstorage.capacity_kb = 3700000\nlora.clock_hz = 4000000");

        Assert.Equal((SdInterface.Spi, 33, 4_000_000), (board.Sd, board.SdChipSelectPin, board.Lora!.ClockHz));
        Assert.Equal(56_539_837, JournalCapacity.Passings(board));
        Assert.Throws<BoardProfileException>(() => BoardProfile.Parse(Valid.Replace("storage.root = I:\\", "storage.root = D:\\") + Lora + "\nsd.interface = spi\nsd.cs = 5\nstorage.capacity_kb = 1000"));
    }

    [Fact]
    public void EthernetBoards_DefaultToTheLan8720_AndNameOnlyKnownPhys()
    {
        var ethernet = Valid.Replace("uplink = wifi", "uplink = ethernet");

        Assert.Equal("lan8720", BoardProfile.Parse(ethernet).EthernetPhy);
        Assert.Equal("ip101", BoardProfile.Parse(ethernet + "\nethernet.phy = IP101").EthernetPhy);
        Assert.Null(BoardProfile.Parse(Valid).EthernetPhy);
        Assert.Contains("lan8720, ip101", Assert.Throws<BoardProfileException>(() => BoardProfile.Parse(ethernet + "\nethernet.phy = w5500")).Message, StringComparison.Ordinal);
    }
}
