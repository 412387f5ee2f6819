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
        Assert.Equal(400_000, options.MaxAirtimeMicros);
        Assert.Equal(2_000_000, options.BatchMaxAgeMicros);
        Assert.Equal(1_000_000, options.AckWaitMicros);
        Assert.Equal(500_000, options.RetryBackoffMicros);
        Assert.Equal(10_000_000, options.RadioRetryMicros);
        Assert.Null(options.Validate());
    }

    [Fact]
    public void MaxRecordsFor_Defaults_Is29()
    {
        // SF7, BW125, CR 4/5, 400 ms: 29 records are 22 + 232 = 254 bytes:
        // Npayload = 8 + ceil((8 · 254 − 28 + 28 + 16) / 28) · 5 = 8 + ceil(2048 / 28) · 5 = 8 + 74 · 5 = 378;
        // ToA = (8 + 4.25 + 378) · 1.024 ms = 399.616 ms ≤ 400 ms, and 29 is the packet format's maximum anyway.
        Assert.Equal(29, LoRaOptions.MaxRecordsFor(new LoRaOptions()));
    }

    [Fact]
    public void MaxRecordsFor_Sf9At400Ms_Is5()
    {
        // SF9, BW125 (Tsym = 512 / 125 kHz = 4.096 ms, no DE), CR 4/5, CRC, explicit header, preamble 8:
        // Npayload = 8 + ceil((8·PL − 36 + 28 + 16) / 36) · 5 = 8 + ceil((8·PL + 8) / 36) · 5.
        //   N = 5: PL = 22 + 40 = 62: ceil(504 / 36) = 14 → 78 symbols → (12.25 + 78) · 4.096 = 369.664 ms ≤ 400 ms.
        //   N = 6: PL = 22 + 48 = 70: ceil(568 / 36) = 16 → 88 symbols → (12.25 + 88) · 4.096 = 410.624 ms > 400 ms.
        var options = new LoRaOptions();
        options.Radio.SpreadingFactor = 9;

        Assert.Equal(5, LoRaOptions.MaxRecordsFor(options));
        Assert.Null(options.Validate());
    }

    [Fact]
    public void MaxRecordsFor_Sf8At400Ms_Is14()
    {
        // SF8 (Tsym 2.048 ms): Npayload = 8 + ceil((8·PL − 32 + 44) / 32) · 5.
        //   N = 14: PL 134: ceil(1084 / 32) = 34 → 178 → (12.25 + 178) · 2.048 = 389.632 ms.
        //   N = 15: PL 142: ceil(1148 / 32) = 36 → 188 → (12.25 + 188) · 2.048 = 410.112 ms.
        var options = new LoRaOptions();
        options.Radio.SpreadingFactor = 8;

        Assert.Equal(14, LoRaOptions.MaxRecordsFor(options));
    }

    [Fact]
    public void MaxRecordsFor_Sf12At400Ms_IsZero_AndValidateSaysSo()
    {
        // One record (PL 30) at SF12 (DE on): Npayload = 8 + ceil((240 − 48 + 44) / 40) · 5 = 38 → (12.25 + 38) · 32.768 ms
        // = 1,646.592 ms, far beyond 400 ms.
        var options = new LoRaOptions();
        options.Radio.SpreadingFactor = 12;

        Assert.Equal(0, LoRaOptions.MaxRecordsFor(options));
        Assert.Equal("no passing packet fits into the airtime limit at these radio settings", options.Validate());
    }

    [Fact]
    public void MaxRecordsFor_Sf12WithoutADwellLimit_Is29()
    {
        var options = new LoRaOptions { MaxAirtimeMicros = 10_000_000 };
        options.Radio.SpreadingFactor = 12;

        Assert.Equal(29, LoRaOptions.MaxRecordsFor(options));
        Assert.Null(options.Validate());
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
