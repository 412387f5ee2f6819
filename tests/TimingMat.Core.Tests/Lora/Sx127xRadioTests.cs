using TimingMat.Core.Lora;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Radio;
using Xunit;

namespace TimingMat.Core.Tests.Lora;

/// <summary>The SX127x driver against the register-level emulator, alone and with two radios on one shared air.</summary>
public class Sx127xRadioTests
{
    private readonly SimulatedClock _clock = new(5_000_000);
    private readonly LoRaSettings _settings = new();

    [Fact]
    public void Begin_OnAFreshChip_ProgramsEveryRegister_AndLeavesItInLoRaStandby()
    {
        var chip = new Sx127xRegisterEmulator();
        var radio = new Sx127xRadio(chip, _clock);
        Assert.Equal(0x80, chip.Peek(Sx127x.RegFifoTxBaseAddr));  // the reset value the driver must override

        Assert.True(radio.Begin(_settings));

        Assert.True(radio.IsReady);
        Assert.Null(radio.Fault);
        Assert.Equal(0x81, chip.Peek(Sx127x.RegOpMode));
        Assert.Equal(0x72, chip.Peek(Sx127x.RegModemConfig1));  // BW125 (7 << 4) | CR 4/5 (1 << 1), explicit header
        Assert.Equal(0x74, chip.Peek(Sx127x.RegModemConfig2));  // SF7 << 4 | CRC on
        Assert.Equal(0x04, chip.Peek(Sx127x.RegModemConfig3));  // AGC on, no LowDataRateOptimize
        Assert.Equal(0xD9, chip.Peek(Sx127x.RegFrfMsb));        // 869.525 MHz = 0xD9619A
        Assert.Equal(0x61, chip.Peek(Sx127x.RegFrfMid));
        Assert.Equal(0x9A, chip.Peek(Sx127x.RegFrfLsb));
        Assert.Equal(0x80 | 0x70 | (14 - 2), chip.Peek(Sx127x.RegPaConfig));
        Assert.Equal(0x12, chip.Peek(Sx127x.RegSyncWord));
        Assert.Equal(0x00, chip.Peek(Sx127x.RegFifoTxBaseAddr));
        Assert.Equal(0x00, chip.Peek(Sx127x.RegFifoRxBaseAddr));
        Assert.Equal(0x00, chip.Peek(Sx127x.RegPreambleMsb));
        Assert.Equal(0x08, chip.Peek(Sx127x.RegPreambleLsb));
        Assert.Equal(0x00, chip.Peek(Sx127x.RegIrqFlags));
    }

    [Fact]
    public void Begin_AtSf12_SetsLowDataRateOptimize_AndOtherSettings()
    {
        var chip = new Sx127xRegisterEmulator();
        var radio = new Sx127xRadio(chip, _clock);
        var settings = new LoRaSettings { SpreadingFactor = 12, CodingRate = 4, TxPowerDbm = 17, SyncWord = 0x34, Crc = false, PreambleSymbols = 0x0123, FrequencyHz = 868_100_000 };

        Assert.True(radio.Begin(settings));

        Assert.Equal(0x78, chip.Peek(Sx127x.RegModemConfig1));  // BW125 | CR 4/8 (4 << 1)
        Assert.Equal(0xC0, chip.Peek(Sx127x.RegModemConfig2));  // SF12, CRC off
        Assert.Equal(0x0C, chip.Peek(Sx127x.RegModemConfig3));  // AGC | LowDataRateOptimize
        Assert.Equal(0xFF, chip.Peek(Sx127x.RegPaConfig));      // 0x80 | 0x70 | 15
        Assert.Equal(0x34, chip.Peek(Sx127x.RegSyncWord));
        Assert.Equal(0x01, chip.Peek(Sx127x.RegPreambleMsb));
        Assert.Equal(0x23, chip.Peek(Sx127x.RegPreambleLsb));
        Assert.Equal((0xD9, 0x06, 0x66), (chip.Peek(Sx127x.RegFrfMsb), chip.Peek(Sx127x.RegFrfMid), chip.Peek(Sx127x.RegFrfLsb)));
    }

    [Fact]
    public void Begin_WithAWrongVersion_Fails_NamingTheValueRead()
    {
        var radio = new Sx127xRadio(new Sx127xRegisterEmulator(0x22), _clock);

        Assert.False(radio.Begin(_settings));

        Assert.False(radio.IsReady);
        Assert.Contains("0x22", radio.Fault, StringComparison.Ordinal);
        Assert.Equal("RegVersion reads 0x22, an SX127x reads 0x12: no radio, wrong part or bad wiring", radio.Fault);
    }

    [Fact]
    public void Begin_WithTheRadioUnplugged_ReadsVersion0x00()
    {
        var chip = new Sx127xRegisterEmulator { Unplugged = true };
        var radio = new Sx127xRadio(chip, _clock);

        Assert.False(radio.Begin(_settings));

        Assert.Equal("RegVersion reads 0x00, an SX127x reads 0x12: no radio, wrong part or bad wiring", radio.Fault);
        Assert.False(radio.StartTransmit(new byte[10], 10));
        Assert.False(radio.StartReceive());

        chip.Unplugged = false;
        Assert.True(radio.Begin(_settings));
        Assert.Null(radio.Fault);
    }

    [Fact]
    public void Transmit_IsPendingForExactlyTheTimeOnAir_AndTheListenerGetsTheExactBytes()
    {
        var air = new LoRaAir();
        var (a, chipA) = Radio(air, 1);
        var (b, _) = Radio(air, 2);
        Assert.True(b.StartReceive());
        var payload = Payload(30, 0x30);
        var airtime = LoRaAirtime.Micros(30, _settings);
        Assert.Equal(71_936, airtime);  // (12.25 + 58) · 1.024 ms
        var start = _clock.Now;

        Assert.True(a.StartTransmit(payload, 30));

        Assert.True(a.IsTransmitting);
        Assert.Equal(airtime, a.LastAirtimeMicros);
        Assert.False(a.StartTransmit(payload, 30));  // busy
        Assert.Equal(RadioResult.Pending, a.PollTransmit());
        _clock.AdvanceTo(start + airtime - 1);
        Assert.Equal(RadioResult.Pending, a.PollTransmit());
        Assert.Equal(RadioResult.Pending, b.TryReceive(new byte[255], out _));  // still on air
        _clock.AdvanceTo(start + airtime);
        Assert.Equal(RadioResult.Done, a.PollTransmit());
        Assert.False(a.IsTransmitting);
        Assert.Equal(0x81, chipA.Peek(Sx127x.RegOpMode));
        Assert.Equal(RadioResult.Done, a.PollTransmit());  // nothing under way
        Assert.Equal(payload, chipA.LastSent);

        var buffer = new byte[255];
        Assert.Equal(RadioResult.Done, b.TryReceive(buffer, out var length));
        Assert.Equal(30, length);
        Assert.Equal(payload, buffer[..30]);
        Assert.Equal(-92, b.LastRssiDbm);
        Assert.Equal(28, b.LastSnrQuarterDb);
        Assert.Equal(RadioResult.Pending, b.TryReceive(buffer, out length));
        Assert.Equal(0, length);
        Assert.Equal(1, air.Transmissions);
    }

    [Fact]
    public void Receive_KeepsListening_ForPacketAfterPacket()
    {
        var air = new LoRaAir();
        var (a, _) = Radio(air, 1);
        var (b, _) = Radio(air, 2);
        b.StartReceive();
        var buffer = new byte[255];

        for (var i = 1; i <= 3; i++)
        {
            Assert.True(a.StartTransmit(Payload(10 * i, (byte)i), 10 * i));
            _clock.Advance(LoRaAirtime.Micros(10 * i, _settings));
            Assert.Equal(RadioResult.Done, a.PollTransmit());
            Assert.Equal(RadioResult.Done, b.TryReceive(buffer, out var length));
            Assert.Equal(Payload(10 * i, (byte)i), buffer[..length]);
            _clock.Advance(1_000);
        }
    }

    [Fact]
    public void AListenerThatStartsAfterThePreamble_HearsNothing()
    {
        var air = new LoRaAir();
        var (a, _) = Radio(air, 1);
        var (b, chipB) = Radio(air, 2);

        a.StartTransmit(Payload(30, 1), 30);
        _clock.Advance(1);
        b.StartReceive();
        _clock.Advance(LoRaAirtime.Micros(30, _settings));

        Assert.Equal(RadioResult.Done, a.PollTransmit());
        Assert.Equal(RadioResult.Pending, b.TryReceive(new byte[255], out _));
        Assert.Equal(0, chipB.PacketsReceived);
    }

    [Fact]
    public void TwoSendersOverlapping_GiveOneCrcError_AndNoPacket()
    {
        var air = new LoRaAir();
        var (a, _) = Radio(air, 1);
        var (c, _) = Radio(air, 3);
        var (b, _) = Radio(air, 2);
        b.StartReceive();
        var buffer = new byte[255];

        a.StartTransmit(Payload(30, 1), 30);
        _clock.Advance(20_000);
        c.StartTransmit(Payload(30, 2), 30);
        _clock.Advance(LoRaAirtime.Micros(30, _settings));
        Assert.Equal(RadioResult.Done, a.PollTransmit());
        Assert.Equal(RadioResult.Done, c.PollTransmit());

        Assert.Equal(RadioResult.CrcError, b.TryReceive(buffer, out var length));
        Assert.Equal(0, length);
        Assert.Equal(1, b.CrcErrors);

        // The modem, busy with the first, misses the second's preamble: one damaged reception, as on the part. The air
        // still counts both packets as spoilt.
        Assert.Equal(RadioResult.Pending, b.TryReceive(buffer, out _));
        Assert.Equal(1, b.CrcErrors);
        Assert.Equal(2, air.Collisions);
    }

    [Fact]
    public void PacketWithoutACrc_IsDropped_WhenWeExpectOne()
    {
        var air = new LoRaAir();
        var (stranger, _) = Radio(air, 1, new LoRaSettings { Crc = false });
        var (b, _) = Radio(air, 2);
        b.StartReceive();

        stranger.StartTransmit(Payload(30, 1), 30);
        _clock.Advance(LoRaAirtime.Micros(30, new LoRaSettings { Crc = false }));
        Assert.Equal(RadioResult.Done, stranger.PollTransmit());

        Assert.Equal(RadioResult.CrcError, b.TryReceive(new byte[255], out var length));
        Assert.Equal(0, length);
        Assert.Equal(1, b.PacketsWithoutCrc);
        Assert.Equal(0, b.CrcErrors);
    }

    [Fact]
    public void PacketsThatDoNotOverlap_AreBothReceived()
    {
        var air = new LoRaAir();
        var (a, _) = Radio(air, 1);
        var (c, _) = Radio(air, 3);
        var (b, _) = Radio(air, 2);
        b.StartReceive();
        var airtime = LoRaAirtime.Micros(30, _settings);
        var buffer = new byte[255];

        a.StartTransmit(Payload(30, 1), 30);
        _clock.Advance(airtime);
        Assert.Equal(RadioResult.Done, a.PollTransmit());
        c.StartTransmit(Payload(30, 2), 30);  // starts the µs the first one ends
        _clock.Advance(airtime);
        Assert.Equal(RadioResult.Done, c.PollTransmit());

        Assert.Equal(RadioResult.Done, b.TryReceive(buffer, out _));
        Assert.Equal(1, buffer[0]);
        Assert.Equal(RadioResult.Done, b.TryReceive(buffer, out _));
        Assert.Equal(2, buffer[0]);
        Assert.Equal(0, b.CrcErrors);
        Assert.Equal(0, air.Collisions);
    }

    [Theory]
    [InlineData("frequency")]
    [InlineData("sf")]
    [InlineData("bandwidth")]
    [InlineData("sync")]
    public void AReceiverOnAnotherChannel_HearsNothing(string difference)
    {
        var air = new LoRaAir();
        var (a, _) = Radio(air, 1);
        var other = new LoRaSettings();
        switch (difference)
        {
            case "frequency":
                other.FrequencyHz = 868_100_000;
                break;
            case "sf":
                other.SpreadingFactor = 8;
                break;
            case "bandwidth":
                other.BandwidthHz = 250_000;
                break;
            case "sync":
                other.SyncWord = 0x34;
                break;
        }

        var (b, chipB) = Radio(air, 2, other);
        b.StartReceive();

        a.StartTransmit(Payload(30, 1), 30);
        _clock.Advance(LoRaAirtime.Micros(30, _settings));
        Assert.Equal(RadioResult.Done, a.PollTransmit());
        _clock.Advance(1_000_000);

        Assert.Equal(RadioResult.Pending, b.TryReceive(new byte[255], out _));
        Assert.Equal(0, chipB.PacketsReceived);
    }

    [Fact]
    public void ASenderNeverHearsItself()
    {
        var air = new LoRaAir();
        var (a, chipA) = Radio(air, 1);

        a.StartTransmit(Payload(30, 1), 30);
        _clock.Advance(LoRaAirtime.Micros(30, _settings));
        Assert.Equal(RadioResult.Done, a.PollTransmit());
        a.StartReceive();
        _clock.Advance(1_000_000);

        Assert.Equal(RadioResult.Pending, a.TryReceive(new byte[255], out _));
        Assert.Equal(0, chipA.PacketsReceived);
    }

    [Fact]
    public void StuckTransmit_IsAFault_After2AirtimesPlus100Ms_AndTheRadioIsSetUpAgain()
    {
        var air = new LoRaAir();
        var (a, chipA) = Radio(air, 1);
        chipA.StuckTransmit = true;
        var airtime = LoRaAirtime.Micros(30, _settings);
        var start = _clock.Now;

        Assert.True(a.StartTransmit(Payload(30, 1), 30));
        _clock.AdvanceTo(start + (2 * airtime) + 100_000);
        Assert.Equal(RadioResult.Pending, a.PollTransmit());
        Assert.Equal(0, a.Recoveries);
        _clock.Advance(1);
        Assert.Equal(RadioResult.Fault, a.PollTransmit());

        Assert.Equal(1, a.Recoveries);
        Assert.True(a.IsReady);
        Assert.False(a.IsTransmitting);
        Assert.Null(a.Fault);
        Assert.Equal(0x81, chipA.Peek(Sx127x.RegOpMode));  // Begin put it back into standby

        chipA.StuckTransmit = false;
        var again = _clock.Now;
        Assert.True(a.StartTransmit(Payload(20, 2), 20));
        _clock.AdvanceTo(again + LoRaAirtime.Micros(20, _settings));
        Assert.Equal(RadioResult.Done, a.PollTransmit());
        Assert.Equal(2, chipA.PacketsSent);
    }

    [Fact]
    public void StartTransmit_RejectsLengthsOutside1To255()
    {
        var (a, chipA) = Radio(new LoRaAir(), 1);

        Assert.False(a.StartTransmit(new byte[256], 0));
        Assert.False(a.StartTransmit(new byte[256], 256));
        Assert.Equal(0, chipA.PacketsSent);
        Assert.True(a.StartTransmit(new byte[256], 255));
        Assert.Equal(LoRaAirtime.Micros(255, _settings), a.LastAirtimeMicros);
    }

    [Fact]
    public void Standby_StopsListening()
    {
        var air = new LoRaAir();
        var (a, _) = Radio(air, 1);
        var (b, chipB) = Radio(air, 2);
        b.StartReceive();

        b.Standby();
        a.StartTransmit(Payload(30, 1), 30);
        _clock.Advance(LoRaAirtime.Micros(30, _settings));

        Assert.Equal(0x81, chipB.Peek(Sx127x.RegOpMode));
        Assert.Equal(RadioResult.Pending, b.TryReceive(new byte[255], out _));
        Assert.Equal(0, chipB.PacketsReceived);
    }

    [Fact]
    public void AnAirThatLosesEverything_DeliversNothing_AndCountsTheLosses()
    {
        var air = new LoRaAir(lossRate: 1.0);
        var (a, _) = Radio(air, 1);
        var (b, chipB) = Radio(air, 2);
        b.StartReceive();

        for (var i = 0; i < 5; i++)
        {
            a.StartTransmit(Payload(30, (byte)i), 30);
            _clock.Advance(LoRaAirtime.Micros(30, _settings));
            Assert.Equal(RadioResult.Done, a.PollTransmit());
            Assert.Equal(RadioResult.Pending, b.TryReceive(new byte[255], out _));
        }

        Assert.Equal(5, air.Transmissions);
        Assert.Equal(5, air.Losses);
        Assert.Equal(0, chipB.PacketsReceived);
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void LoRaAir_RejectsALossRateOutside0To1(double lossRate)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LoRaAir(lossRate));

        Assert.Equal("lossRate", e.ParamName);
    }

    private static byte[] Payload(int length, byte first)
    {
        var payload = new byte[length];
        for (var i = 0; i < length; i++)
        {
            payload[i] = (byte)(first + (i * 7));
        }

        return payload;
    }

    private (Sx127xRadio Radio, Sx127xRegisterEmulator Chip) Radio(LoRaAir air, int node, LoRaSettings? settings = null)
    {
        var chip = new Sx127xRegisterEmulator(air, node, _clock);
        var radio = new Sx127xRadio(chip, _clock);
        Assert.True(radio.Begin(settings ?? _settings), radio.Fault);
        return (radio, chip);
    }
}
