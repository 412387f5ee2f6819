using System.Globalization;
using System.Text;
using TimingMat.Core.RaceDay;
using TimingMat.Core.Unit;
using TimingMat.Simulation.Engine;
using TimingMat.Simulation.Field;

namespace TimingMat.Simulation.Scenarios;

/// <summary>
/// The one function from a scenario's mat to the unit's configuration: the simulator's units are configured with the
/// same keys a board is provisioned with (docs/unit-config.md), so they run exactly what a board would.
/// </summary>
public static class ScenarioUnitConfig
{
    /// <summary>Makes the configuration of one mat's unit.</summary>
    /// <param name="scenario">The race.</param>
    /// <param name="mat">The mat.</param>
    /// <param name="topicPrefix">The MQTT topic prefix of the race network.</param>
    /// <param name="clientId">The unit's MQTT client id.</param>
    /// <param name="commandKey">The unit's command key (16–64 bytes): the LoRa receiver signs its acks with it.</param>
    /// <returns>The validated configuration; the unit arms at the mat's opening and counts until its cut-off.</returns>
    public static UnitConfig For(Scenario scenario, MatSpec mat, string topicPrefix, string clientId, byte[] commandKey)
    {
        var config = new UnitConfig();
        config.Set("unit.id", mat.UnitId.ToString(CultureInfo.InvariantCulture));
        config.Set("race.id", Name(scenario.Name));
        config.Set("mat.name", Name(mat.Name));
        config.Set("mat.km", mat.Km.ToString("0.###", CultureInfo.InvariantCulture));
        config.Set("mat.role", UnitRoleText.Name(mat.Role));
        config.Set("mode", "timing");
        config.Set("window.opens", Iso(mat.OpensUtcMicros));
        config.Set("window.cut_off", Iso(mat.CutoffUtcMicros));
        // The simulator has always timed every mat, check-ins too, at the peak of the signal, and scores against the
        // runner's true crossing of the mat line; a check-in's own default (the first read) would be scored early.
        config.Set("crossings.mode", "peak");
        config.Set("reader.type", ReaderTypeText.Name(mat.Reader.Protocol));
        config.Set("reader.region", "eu");
        config.Set("reader.modules", mat.Reader.Modules.ToString(CultureInfo.InvariantCulture));
        if (mat.Reader.Protocol == ReaderProtocol.R2000)
        {
            // The ports the emulated module has: an 8-port module sends antennas 5-8 in bit 7 of the RSSI byte, which a
            // driver set for 4 ports reads as 128 dB more signal (a full marathon's 8-antenna finish mat was timed to a
            // p99 of 316 ms, 11 times its bound, until the two agreed).
            config.Set("reader.antennas", MatRig.R2000PortsFor(mat.Reader).ToString(CultureInfo.InvariantCulture));
        }

        config.Set("mqtt.prefix", topicPrefix);
        config.Set("mqtt.client_id", clientId);
        var lora = scenario.Lora;
        config.Set("lora.enabled", lora.Fitted ? "on" : "off");
        config.Set("lora.sf", lora.SpreadingFactor.ToString(CultureInfo.InvariantCulture));
        config.Set("lora.duty_cycle_pct", (lora.DutyCyclePermille / 10.0).ToString("0.#", CultureInfo.InvariantCulture));
        config.Set("lora.fallback_s", ((int)Math.Round(lora.FallbackAfterSeconds)).ToString(CultureInfo.InvariantCulture));
        config.Set("command.key", Convert.ToHexString(commandKey));
        config.Validate();
        return config;
    }

    /// <summary>Makes a unit's command key from the run's seed: the same race, the same keys.</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="unitId">The unit.</param>
    /// <returns>32 bytes.</returns>
    public static byte[] KeyFor(int seed, int unitId)
    {
        var key = new byte[32];
        new Random(Seeds.Mix(seed, unitId, 53)).NextBytes(key);
        return key;
    }

    private static string Iso(long utcMicros) =>
        DateTimeOffset.FromUnixTimeMilliseconds(utcMicros / 1000).AddTicks(utcMicros % 1000 * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    // Race and mat names go into topics and files on a unit: letters, digits, '.', '-', '_', at most 32.
    private static string Name(string text)
    {
        var name = new StringBuilder();
        foreach (var c in text.Trim())
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '-');
        }

        return name.Length == 0 ? "unnamed" : name.ToString(0, Math.Min(32, name.Length));
    }
}
