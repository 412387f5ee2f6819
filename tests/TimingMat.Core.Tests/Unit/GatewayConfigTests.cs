using TimingMat.Core.Lora;
using TimingMat.Core.Unit;
using Xunit;

namespace TimingMat.Core.Tests.Unit;

/// <summary><c>lora.role = gateway</c>: the tent's gateway is configured with the units' keys, and without what only a mat has.</summary>
public class GatewayConfigTests
{
    private const string Gateway = "unit.id = 900\nlora.role = gateway\nnetwork = wifi\nwifi.ssid = tent\nmqtt.url = mqtt://10.0.0.2\nlora.duty_cycle_pct = 10\n";

    [Fact]
    public void AGateway_NeedsNoReaderOrMatRole_AndNamesItselfAsOne()
    {
        var config = UnitConfig.Parse(Gateway);

        Assert.True(config.IsLoraGateway);
        Assert.Equal(("gateway-900", "timingmat-gateway-900"), (config.MatName, config.ClientId));
        Assert.Equal("gateway", config.Get("lora.role"));
        var options = new LoRaOptions();
        config.ApplyLora(options);
        Assert.Equal((100, 7), (options.DutyCyclePermille, options.Radio.SpreadingFactor));
    }

    [Theory]
    [InlineData("mat.role = split", "mat.role")]
    [InlineData("reader.type = m6e", "reader.type")]
    [InlineData("window.opens = 2026-10-04T06:30:00Z", "window.opens")]
    public void AMatsKeyOnAGateway_IsAnError(string line, string key)
    {
        var error = Assert.Throws<ConfigFileException>(() => UnitConfig.Parse(Gateway + line + "\n"));

        Assert.Equal(key, error.Key);
        Assert.Equal($"line 7: {key} is set but lora.role = gateway: expected no mat, mode, window, crossings or reader keys on the tent's gateway.", error.Message);
    }

    [Fact]
    public void AGatewayWithLoRaOff_IsAnError()
    {
        var error = Assert.Throws<ConfigFileException>(() => UnitConfig.Parse(Gateway + "lora.enabled = off\n"));

        Assert.Equal("line 7: lora.enabled = 'off' but lora.role = gateway: expected lora.enabled on (or unset) on the gateway.", error.Message);
    }

    [Theory]
    [InlineData("finish", null, true)]
    [InlineData("split", null, false)]
    [InlineData("finish", "oldest", false)]
    [InlineData("split", "newest", true)]
    public void TheOrder_IsNewestFirstAtAFinish_UnlessSet(string role, string? order, bool newestFirst)
    {
        var text = $"unit.id = 7\nmat.role = {role}\nreader.type = m6e\nreader.region = eu\n" + (order == null ? string.Empty : $"lora.order = {order}\n");
        var config = UnitConfig.Parse(text);

        Assert.Equal(newestFirst, config.LoraNewestFirst);
        Assert.Equal(newestFirst, config.ToSettings().Lora.NewestFirst);
        Assert.False(config.IsLoraGateway);
        Assert.Equal(newestFirst ? "newest" : "oldest", config.Get("lora.order"));
    }

    [Fact]
    public void TheApplication_IsTheGatewayOrTheMatUnit_ByTheConfiguration()
    {
        var config = UnitConfig.Parse(Gateway);

        // Without keys it cannot answer anyone: refused up front, with the file to write.
        var error = Assert.Throws<ArgumentException>(() => UnitApplication.Create(config, null!, new UnitHardware()));
        Assert.Contains("keys.cfg", error.Message, StringComparison.Ordinal);
    }
}
