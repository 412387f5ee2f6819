using TimingMat.Core.Lora;
using Xunit;

namespace TimingMat.Core.Tests.Lora;

public class LoRaOptionsTests
{
    [Fact]
    public void Defaults()
    {
        var options = new LoRaOptions();

        Assert.True(options.Enabled);
        Assert.Equal(30_000_000, options.FallbackAfterMicros);
        Assert.Equal(100, options.DutyCyclePermille);
        Assert.Equal(0, options.MaxAirtimeMicros);
        Assert.Equal(10_000_000, LoRaOptions.MaxAirtimeFor(options));  // 869.525 MHz: no dwell limit
        options.Radio.FrequencyHz = 915_000_000;
        Assert.Equal(400_000, LoRaOptions.MaxAirtimeFor(options));     // US915
        Assert.Equal(2_000_000, options.BatchMaxAgeMicros);
        Assert.Equal(1_000_000, options.AckWaitMicros);
        Assert.Equal(500_000, options.RetryBackoffMicros);
        Assert.Equal(10_000_000, options.RadioRetryMicros);
        Assert.Null(options.Validate());
    }

    [Fact]
    public void MaxPacketBytesFor_Defaults_Is255()
    {
        // SF7, BW125, CR 4/5, 400 ms: 255 bytes: Npayload = 8 + ceil((8 · 255 − 28 + 28 + 16) / 28) · 5 = 8 + 74 · 5 = 378;
        // ToA = (8 + 4.25 + 378) · 1.024 ms = 399.616 ms ≤ 400 ms, and 255 is the radio's FIFO anyway.
        Assert.Equal(255, LoRaOptions.MaxPacketBytesFor(new LoRaOptions { MaxAirtimeMicros = 400_000 }));
    }

    [Fact]
    public void MaxPacketBytesFor_Sf8At400Ms_Is138()
    {
        // SF8 (Tsym 2.048 ms): Npayload = 8 + ceil((8·PL + 12) / 32) · 5 and (12.25 + N) · 2.048 ≤ 400 → N ≤ 183:
        //   PL 138: ceil(1116 / 32) = 35 → 183 symbols → 399.872 ms; PL 139: ceil(1124 / 32) = 36 → 188 → 410.112 ms.
        var options = new LoRaOptions();
        options.Radio.FrequencyHz = 915_000_000;
        options.Radio.SpreadingFactor = 8;

        Assert.Equal(138, LoRaOptions.MaxPacketBytesFor(options));
    }

    [Fact]
    public void MaxPacketBytesFor_Sf9At400Ms_Is66_StillAPacket()
    {
        // SF9 (Tsym 4.096 ms): Npayload = 8 + ceil((8·PL + 8) / 36) · 5 and N ≤ 85:
        //   PL 66: ceil(536 / 36) = 15 → 83 symbols → 390.144 ms; PL 67: ceil(544 / 36) = 16 → 88 → 410.624 ms.
        var options = new LoRaOptions();
        options.Radio.FrequencyHz = 915_000_000;
        options.Radio.SpreadingFactor = 9;

        Assert.Equal(66, LoRaOptions.MaxPacketBytesFor(options));
        Assert.Null(options.Validate());
    }

    [Fact]
    public void Sf10At400Ms_FitsNoPacket_AndValidateSaysSo()
    {
        // SF10 (Tsym 8.192 ms): N ≤ 36 → PL ≤ 24 bytes, less than a header, a tag and one record (45).
        var options = new LoRaOptions();
        options.Radio.FrequencyHz = 915_000_000;
        options.Radio.SpreadingFactor = 10;

        Assert.Equal(24, LoRaOptions.MaxPacketBytesFor(options));
        Assert.Equal("no passing packet fits into the 400 ms airtime limit at SF10: use a lower spreading factor or a wider bandwidth", options.Validate());
    }

    [Fact]
    public void Sf12InEu868_WithoutADwellLimit_Sends255Bytes()
    {
        var options = new LoRaOptions();
        options.Radio.SpreadingFactor = 12;

        Assert.Equal(255, LoRaOptions.MaxPacketBytesFor(options));
        Assert.Null(options.Validate());
    }

    [Fact]
    public void TheUnitListens_TheAckWaitPlusTheAcksOwnAirtime()
    {
        // A 24-byte ack at SF7: 8 + ceil((192 − 28 + 44) / 28) · 5 = 48 symbols → (12.25 + 48) · 1.024 = 61.696 ms.
        Assert.Equal(1_061_696, LoRaOptions.ListenMicrosFor(new LoRaOptions()));
    }

    [Fact]
    public void Validate_PassesOnTheRadiosComplaint()
    {
        var options = new LoRaOptions();
        options.Radio.CodingRate = 7;

        Assert.Equal("coding rate must be 1–4 (4/5 … 4/8)", options.Validate());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void Validate_RejectsADutyCycleOutside1To1000(int permille)
    {
        var options = new LoRaOptions { DutyCyclePermille = permille };

        Assert.Equal("duty cycle must be 1–1000 permille", options.Validate());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(1000)]
    public void Validate_AcceptsDutyCycleLimits(int permille)
    {
        Assert.Null(new LoRaOptions { DutyCyclePermille = permille }.Validate());
    }

    [Fact]
    public void Validate_RejectsAnAckWaitUnder100Ms()
    {
        Assert.Equal("ack wait must be at least 100 ms", new LoRaOptions { AckWaitMicros = 99_999 }.Validate());
        Assert.Null(new LoRaOptions { AckWaitMicros = 100_000 }.Validate());
    }
}
