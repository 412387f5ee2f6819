using System.CommandLine;
using System.Globalization;
using System.Text;
using TimingMat.Cli.Infrastructure;
using TimingMat.Collector.Lora;
using TimingMat.Core.Lora;
using TimingMat.Core.Unit;

namespace TimingMat.Cli.Commands;

/// <summary><c>collect</c>'s LoRa receiver options: the SPI device, the units' keys, the chip list and the channel.</summary>
internal sealed class CollectLoRaOptions
{
    private readonly Option<string?> _device = new("--lora") { Description = "Also receive the mats' LoRa fallback on an SX127x on this Linux SPI device (spidev0.0 or /dev/spidev0.0)", HelpName = "SPIDEV" };
    private readonly Option<string?> _keys = new("--lora-keys") { Description = "With --lora: the units' command keys, 'unit id = key' a line (keys.cfg, docs/unit-config.md)", HelpName = "FILE" };
    private readonly Option<string?> _chips = new("--lora-chips") { Description = "With --lora: the race's chip list, 'first EPC = count' a run (chips.cfg); the same file the units have", HelpName = "FILE" };
    private readonly Option<int> _sf = new("--lora-sf") { Description = "With --lora: spreading factor, as the units' lora.sf", HelpName = "SF", DefaultValueFactory = _ => 7 };
    private readonly Option<string> _frequency = new("--lora-frequency-mhz") { Description = "With --lora: carrier in MHz, as the units' lora.frequency_mhz", HelpName = "MHZ", DefaultValueFactory = _ => "869.525" };
    private readonly Option<string> _duty = new("--lora-duty-cycle-pct") { Description = "With --lora: the receiver's own duty cycle for its answers, %", HelpName = "PCT", DefaultValueFactory = _ => "10" };

    public static CollectLoRaOptions Create() => new();

    public IEnumerable<Option> All() => [_device, _keys, _chips, _sf, _frequency, _duty];

    /// <summary>Reads and checks the options, the key file and the chip list: null without <c>--lora</c>.</summary>
    public Settings? Read(ParseResult parse)
    {
        var device = parse.GetValue(_device);
        if (device == null)
        {
            return null;
        }

        if (!SpidevRadio.TryParse(device, out _, out _))
        {
            throw new CliException(ExitCode.InvalidInput, $"--lora '{device}' is not an SPI device: expected spidevB.C, e.g. spidev0.0 (bus 0, chip select 0).");
        }

        var keysPath = parse.GetValue(_keys) ?? throw new CliException(ExitCode.Usage, "--lora needs --lora-keys: the gateway checks each packet with its unit's key and signs its answer with it.", "give the units' keys as 'unit id = command.key' lines, e.g. --lora-keys keys.cfg.");
        var config = new UnitConfig();
        Set(config, "lora.sf", parse.GetValue(_sf).ToString(CultureInfo.InvariantCulture));
        Set(config, "lora.frequency_mhz", parse.GetValue(_frequency)!);
        Set(config, "lora.duty_cycle_pct", parse.GetValue(_duty)!);
        var options = new LoRaOptions();
        config.ApplyLora(options);
        options.FallbackAfterMicros = 0;
        var invalid = options.Validate();
        if (invalid != null)
        {
            throw new CliException(ExitCode.InvalidInput, "--lora-sf/--lora-frequency-mhz: " + invalid + ".");
        }

        var keys = Parse(keysPath, "--lora-keys", LoRaKeyList.Parse);
        var chipsPath = parse.GetValue(_chips);
        var chips = chipsPath == null ? null : Parse(chipsPath, "--lora-chips", LoRaChipList.Parse);
        return new Settings(device, options, keys, chips);
    }

    private static void Set(UnitConfig config, string key, string value)
    {
        try
        {
            config.Set(key, value);
        }
        catch (ConfigFileException e)
        {
            throw new CliException(ExitCode.InvalidInput, "--" + key.Replace('.', '-').Replace('_', '-') + ": " + e.Problem);
        }
    }

    private static T Parse<T>(string path, string option, Func<string, T> parse)
    {
        var text = Encoding.UTF8.GetString(InputFiles.ReadAllBytes(path));
        try
        {
            return parse(text);
        }
        catch (ConfigFileException e)
        {
            throw new CliException(ExitCode.InvalidInput, $"{option} '{path}': {e.Message}");
        }
    }

    /// <summary>What <c>--lora</c> says.</summary>
    public sealed record Settings(string Device, LoRaOptions Options, LoRaKeyList Keys, LoRaChipList? Chips)
    {
        /// <summary>Opens the SPI device.</summary>
        public SpidevRadio Open()
        {
            try
            {
                return SpidevRadio.Open(Device);
            }
            catch (IOException e)
            {
                throw new CliException(ExitCode.PortUnavailable, $"the LoRa radio's SPI device cannot be opened: {e.Message}", "enable SPI (on a Raspberry Pi: raspi-config, Interface Options, SPI), check the device exists and that this user may open it (the spi group).");
            }
        }
    }
}
