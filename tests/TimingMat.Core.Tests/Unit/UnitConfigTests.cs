using TimingMat.Core.Crossings;
using TimingMat.Core.RaceDay;
using TimingMat.Core.Reader.Mercury;
using TimingMat.Core.Unit;
using Xunit;

namespace TimingMat.Core.Tests.Unit;

/// <summary>
/// The one unit configuration (docs/unit-config.md): every key's validation message names the key, the value and what
/// was expected; unknown, repeated and missing keys are refused; the one mapping to the core's settings; the dump.
/// </summary>
public class UnitConfigTests
{
    private const string Minimal = "unit.id = 7\nmat.role = split\nreader.type = m6e\nreader.region = eu\n";

    public static TheoryData<string, string, string> BadValues => new()
    {
        { "unit.id", "0", "unit.id = '0': expected the unit id, a whole number 1-65535." },
        { "unit.id", "65536", "unit.id = '65536': expected the unit id, a whole number 1-65535." },
        { "unit.id", "seven", "unit.id = 'seven': expected the unit id, a whole number 1-65535." },
        { "race.id", "berlin 2026", "race.id = 'berlin 2026': expected 1-32 letters, digits, '.', '-' or '_'." },
        { "mat.name", "km/05", "mat.name = 'km/05': expected 1-32 letters, digits, '.', '-' or '_'." },
        { "mat.km", "-1", "mat.km = '-1': expected the mat's distance on the course, 0-1000 km with at most 4 decimals." },
        { "mat.km", "21.09751", "mat.km = '21.09751': expected the mat's distance on the course, 0-1000 km with at most 4 decimals." },
        { "mat.role", "middle", "mat.role = 'middle': expected check-in, start, split, turnaround or finish." },
        { "mode", "race", "mode = 'race': expected timing (record passings from boot) or test (count reads, record nothing)." },
        { "window.opens", "2026-10-04 06:30:00Z", "window.opens = '2026-10-04 06:30:00Z': expected an ISO 8601 time with a zone, e.g. 2026-10-04T06:30:00Z." },
        { "window.opens", "2026-10-04T06:30:00", "window.opens = '2026-10-04T06:30:00': expected an ISO 8601 time with a zone, e.g. 2026-10-04T06:30:00Z." },
        { "window.cut_off", "2026-02-30T06:30:00Z", "window.cut_off = '2026-02-30T06:30:00Z': expected an ISO 8601 time with a zone, e.g. 2026-10-04T06:30:00Z." },
        { "crossings.mode", "loudest", "crossings.mode = 'loudest': expected peak, first, last, first+last or continuous." },
        { "crossings.reaction_ms", "99", "crossings.reaction_ms = '99': expected 100-10000 ms." },
        { "crossings.dead_time_ms", "600001", "crossings.dead_time_ms = '600001': expected 0-600000 ms." },
        { "crossings.body_shadow_db", "30.01", "crossings.body_shadow_db = '30.01': expected 0-30 dB with at most 2 decimals, the extra loss once a chest tag is past the line (0: shoe or ankle tags)." },
        { "reader.type", "impinj", "reader.type = 'impinj': expected m6e (ThingMagic M6e Nano, Mercury protocol) or r2000 (R2000/E710 \"0xA0\" modules)." },
        { "reader.region", "us", "reader.region = 'us': expected na (902-928 MHz), eu (ETSI 865-868 MHz), cn, in, jp, kr, au, nz or open (lab only)." },
        { "reader.power_dbm", "33.001", "reader.power_dbm = '33.001': expected 0-33 dBm (M6e Nano 5-27 to 0.01 dB, R2000 a whole number)." },
        { "reader.baud", "4800", "reader.baud = '4800': expected a UART speed, 9600-921600." },
        { "reader.line_baud", "1000000", "reader.line_baud = '1000000': expected a UART speed, 9600-921600." },
        { "reader.antennas", "2", "reader.antennas = '2': expected 4 or 8 (R2000 antenna ports)." },
        { "reader.antennas", "5", "reader.antennas = '5': expected 4 or 8 (R2000 antenna ports)." },
        { "reader.modules", "9", "reader.modules = '9': expected 1-8 reader modules, one UART each." },
        { "network", "lte", "network = 'lte': expected wifi or ethernet." },
        { "wifi.ssid", "a-network-name-longer-than-32-chars", "wifi.ssid = 'a-network-name-longer-than-32-chars': expected a Wi-Fi network name of 1-32 characters." },
        { "wifi.password", "short", "wifi.password = (secret, 5 characters): expected a WPA2 passphrase of 8-63 characters." },
        { "mqtt.url", "http://broker", "mqtt.url = 'http://broker': expected mqtt://host[:port] or mqtts://host[:port] (TLS)." },
        { "mqtt.url", "mqtt://broker:0", "mqtt.url = 'mqtt://broker:0': expected a port 1-65535 after the host." },
        { "mqtt.url", "mqtt://bro ker", "mqtt.url = 'mqtt://bro ker': expected mqtt://host[:port] or mqtts://host[:port] with a host name or IPv4 address." },
        { "mqtt.ca_file", "../ca.pem", "mqtt.ca_file = '../ca.pem': expected a file name on the unit's storage (letters, digits, '.', '-', '_')." },
        { "mqtt.prefix", "race/#", "mqtt.prefix = 'race/#': expected an MQTT topic prefix of up to 64 characters without + # spaces or a leading or trailing /." },
        { "mqtt.prefix", "/race", "mqtt.prefix = '/race': expected an MQTT topic prefix of up to 64 characters without + # spaces or a leading or trailing /." },
        { "mqtt.client_id", "unit 7", "mqtt.client_id = 'unit 7': expected 1-64 letters, digits, '.', '-' or '_'." },
        { "status.interval_s", "0", "status.interval_s = '0': expected 1-600 s." },
        { "supervisor.stall_s", "5", "supervisor.stall_s = '5': expected 10-3600 s." },
        { "lora.enabled", "maybe", "lora.enabled = 'maybe': expected on or off." },
        { "lora.sf", "6", "lora.sf = '6': expected a spreading factor, 7-12." },
        { "lora.duty_cycle_pct", "0.05", "lora.duty_cycle_pct = '0.05': expected the sub-band's duty cycle, 0.1-100 % (1 for EU868 g/g1, 10 for g3)." },
        { "lora.fallback_s", "3601", "lora.fallback_s = '3601': expected 0-3600 s." },
        { "lora.role", "relay", "lora.role = 'relay': expected unit (a mat that falls back to LoRa) or gateway (the tent's LoRa gateway)." },
        { "lora.frequency_mhz", "2400", "lora.frequency_mhz = '2400': expected the carrier in MHz, 137-1020 with at most 3 decimals (869.525 for EU868 g3; 902-928 is US915, 400 ms dwell)." },
        { "lora.order", "random", "lora.order = 'random': expected oldest (the backlog in order) or newest (who just passed first)." },
        { "command.key", "00112233", "command.key = (secret, 8 characters): expected 32-128 hex digits (a 16-64 byte key)." },
    };

    [Fact]
    public void EveryKey_HasABadValueTest()
    {
        var tested = BadValues.Select(row => (string)row[0]).ToHashSet();

        // The broker's user name and password take any text; every other key refuses something.
        Assert.Equal(UnitConfig.Keys.Where(k => k is not ("mqtt.username" or "mqtt.password")).Order(), tested.Order());
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public void ABadValue_NamesKeyValueAndWhatIsExpected_WithItsLine(string key, string value, string expected)
    {
        var error = Assert.Throws<ConfigFileException>(() => UnitConfig.Parse(Minimal.Replace($"{key} = ", "# ", StringComparison.Ordinal) + $"{key} = {value}\n"));

        Assert.Equal(key, error.Key);
        Assert.Equal(5, error.Line);
        Assert.Equal(expected, error.Problem);
        Assert.Equal("line 5: " + expected, error.Message);
    }

    [Theory]
    [InlineData("unit.id", "unit.id is missing: expected the unit id, 1-65535.")]
    [InlineData("mat.role", "mat.role is missing: expected the mat's role: check-in, start, split, turnaround or finish.")]
    [InlineData("reader.type", "reader.type is missing: expected m6e (ThingMagic M6e Nano, Mercury protocol) or r2000 (R2000/E710 \"0xA0\" modules).")]
    [InlineData("reader.region", "reader.region is missing: expected na (902-928 MHz), eu (ETSI 865-868 MHz), cn, in, jp, kr, au, nz or open (lab only); never defaulted: a reader must transmit only on the channels allowed where the race is.")]
    public void AMissingRequiredKey_IsNamed(string key, string expected)
    {
        var text = string.Join("\n", Minimal.Split('\n').Where(l => !l.StartsWith(key + " ", StringComparison.Ordinal)));

        var error = Assert.Throws<ConfigFileException>(() => UnitConfig.Parse(text));

        Assert.Equal((key, 0, expected), (error.Key, error.Line, error.Message));
    }

    [Theory]
    [InlineData("colour = blue\n", "line 5: unknown key 'colour'; docs/unit-config.md lists the keys.")]
    [InlineData("reader.regoin = eu\n", "line 5: unknown key 'reader.regoin' (did you mean 'reader.region'?); docs/unit-config.md lists the keys.")]
    [InlineData("lora.spreading = 9\n", "line 5: unknown key 'lora.spreading'; docs/unit-config.md lists the keys.")]
    [InlineData("unit.id = 8\n", "line 5: unit.id is set twice (first on line 1).")]
    [InlineData("no equals sign\n", "line 5: expected 'key = value' (a '#' starts a comment).")]
    [InlineData("mat.name =\n", "line 5: mat.name has no value.")]
    [InlineData("wifi password = x\n", "line 5: expected 'key = value': a key has no spaces.")]
    public void UnknownRepeatedAndBrokenLines_AreRefused(string line, string expected)
    {
        var error = Assert.Throws<ConfigFileException>(() => UnitConfig.Parse(Minimal + line));

        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("window.opens = 2026-10-04T09:00:00Z\nwindow.cut_off = 2026-10-04T08:00:00Z\n", "line 6: window.cut_off = '2026-10-04T08:00:00.000000Z' is not after window.opens: expected a cut-off after the opening.")]
    [InlineData("reader.antennas = 4\n", "line 5: reader.antennas = '4' is for R2000 modules: expected no reader.antennas with reader.type = m6e (the M6e Nano has one port).")]
    [InlineData("reader.power_dbm = 30\n", "line 5: reader.power_dbm = '30.00' is out of range: expected 5-27 dBm for the M6e Nano (to 0.01 dB).")]
    [InlineData("network = wifi\n", "line 5: wifi.ssid is missing: expected the Wi-Fi network's name with network = wifi.")]
    [InlineData("network = ethernet\nwifi.ssid = race\n", "line 6: wifi.ssid is set but network = ethernet: expected no wifi.* keys on an Ethernet unit.")]
    [InlineData("mqtt.password = secret-pw\n", "line 5: mqtt.password is set without mqtt.username: expected both or neither.")]
    [InlineData("mqtt.url = mqtt://broker\nmqtt.ca_file = ca.pem\n", "line 6: mqtt.ca_file is set but mqtt.url is not mqtts://: expected a CA file only with TLS.")]
    public void KeysThatMustAgree_AreChecked(string lines, string expected)
    {
        var error = Assert.Throws<ConfigFileException>(() => UnitConfig.Parse(Minimal + lines));

        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("", 245, 1_232)]
    [InlineData("reader.line_baud = 460800\n", 980, 3_072)]
    [InlineData("reader.modules = 2\n", 490, 2_176)]
    public void TheStoreOfKeptReads_IsSizedFromWhatTheReaderLinesCarry(string extra, int readsPerSecond, int entries)
    {
        var settings = UnitConfig.Parse(Minimal + extra).ToSettings();

        // 47-byte M6e records at 10 bits a byte; held for 3 s in the field and the 850 ms window, + 96 × 3, ≤ 96 × 32.
        Assert.Equal(readsPerSecond, settings.Crossings.ReadsPerSecond);
        Assert.Equal(entries, settings.Crossings.KeptReadEntries);
        Assert.Equal(548, UnitConfig.Parse(Minimal.Replace("m6e", "r2000", StringComparison.Ordinal)).ToSettings().Crossings.ReadsPerSecond);
    }

    [Fact]
    public void AnR2000_TakesOnlyItsRegions_AndWholeDbm()
    {
        var r2000 = Minimal.Replace("m6e", "r2000", StringComparison.Ordinal);

        Assert.Equal("line 4: reader.region = 'jp' is not a region R2000 modules have: expected na, eu or cn with reader.type = r2000.", Assert.Throws<ConfigFileException>(() => UnitConfig.Parse(r2000.Replace("= eu", "= jp", StringComparison.Ordinal))).Message);
        Assert.Equal("line 5: reader.power_dbm = '26.50' is not a whole 0-33 dBm: expected what R2000 modules take.", Assert.Throws<ConfigFileException>(() => UnitConfig.Parse(r2000 + "reader.power_dbm = 26.5\n")).Message);
        Assert.Equal("line 5: reader.line_baud = '460800' is for the M6e Nano: expected no reader.line_baud with reader.type = r2000.", Assert.Throws<ConfigFileException>(() => UnitConfig.Parse(r2000 + "reader.line_baud = 460800\n")).Message);
    }

    [Fact]
    public void AFullFile_MapsOntoTheSettings_InOneFunction()
    {
        var config = UnitConfig.Parse("""
            # KM 5 of the Berlin half.
            unit.id = 5
            race.id = berlin-2026
            mat.name = km05
            mat.km = 5.0
            mat.role = Check-In      # any case; 'checkin' is read too
            window.opens = 2026-10-04T06:30:00+02:00
            window.cut_off = 2026-10-04T09:30:00Z
            crossings.mode = first+last
            crossings.reaction_ms = 1200
            crossings.dead_time_ms = 3000
            crossings.body_shadow_db = 6.5
            reader.type = mercury
            reader.region = na
            reader.power_dbm = 26.5
            reader.baud = 115200
            reader.line_baud = 460800
            reader.modules = 2
            network = wifi
            wifi.ssid = race-net
            wifi.password = pass#word-with-hash
            mqtt.url = mqtts://broker.race.example:8884
            mqtt.username = km05
            mqtt.password = broker-pw
            mqtt.ca_file = race-ca.pem
            mqtt.prefix = berlin/2026
            mqtt.client_id = km05-unit
            status.interval_s = 5
            supervisor.stall_s = 90
            lora.enabled = off
            lora.sf = 9
            lora.duty_cycle_pct = 1
            lora.fallback_s = 60
            command.key = 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
            """);

        Assert.Equal((5, "berlin-2026", "km05", 5000, UnitRole.CheckIn), (config.Unit, config.RaceId, config.MatName, config.MatMetres, config.Role));
        Assert.Equal(RaceDayMode.Timing, config.BootMode);
        Assert.Equal(1_791_088_200_000_000, config.OpensUtcMicros);
        Assert.Equal(("pass#word-with-hash", "broker.race.example", 8884, true), (config.WifiPassword, config.MqttHost, config.MqttPort, config.MqttTls));
        Assert.Equal(32, config.CommandKey.Length);
        var settings = config.ToSettings();
        Assert.Equal((UnitRole.CheckIn, ReaderProtocol.Mercury), (settings.Role, settings.ReaderProtocol));
        Assert.Equal((MercuryRegion.NorthAmerica, 2650, 460800), (settings.Mercury.Region, settings.Mercury.ReadPowerCentiDbm, settings.Mercury.LineBaudRate));
        Assert.Equal((DetectionMode.FirstAndLast, 1_200_000L, 3_000_000L, 650), (settings.Crossings.Mode, settings.Crossings.ReactionMicros, settings.Crossings.DeadTimeMicros, settings.Crossings.BodyShadowCentiDb));
        Assert.Equal(("km05-unit", "km05", "broker-pw", "berlin/2026", 5_000_000L), (settings.Uplink.ClientId, settings.Uplink.Username, settings.Uplink.Password, settings.Uplink.Outbox.TopicPrefix, settings.Uplink.StatusIntervalMicros));
        Assert.Equal(90_000_000, settings.StallMicros);
        Assert.Equal((false, 9, 10, 60_000_000L), (settings.Lora.Enabled, settings.Lora.Radio.SpreadingFactor, settings.Lora.DutyCyclePermille, settings.Lora.FallbackAfterMicros));
    }

    [Fact]
    public void TheDump_WritesEveryKeyOnce_SecretsAsSetOrUnset_AndParsesBack()
    {
        var config = UnitConfig.Parse(Minimal + "wifi.ssid = race-net\nwifi.password = a-long-passphrase\nwindow.cut_off = 2026-10-04T09:30:00Z\n");

        var dump = config.ToString();

        Assert.Equal(UnitConfig.Keys, dump.TrimEnd('\n').Split('\n').Select(l => l[..l.IndexOf(" = ", StringComparison.Ordinal)]));
        Assert.Contains("wifi.password = set\n", dump, StringComparison.Ordinal);
        Assert.Contains("mqtt.password = unset\n", dump, StringComparison.Ordinal);
        Assert.Contains("command.key = unset\n", dump, StringComparison.Ordinal);
        Assert.Contains("mode = timing\n", dump, StringComparison.Ordinal);
        Assert.Contains("crossings.reaction_ms = 850\n", dump, StringComparison.Ordinal);
        Assert.Contains("crossings.body_shadow_db = 0.00\n", dump, StringComparison.Ordinal);
        Assert.Contains("lora.duty_cycle_pct = 10.0\n", dump, StringComparison.Ordinal);
        Assert.Contains("supervisor.stall_s = 60\n", dump, StringComparison.Ordinal);
        Assert.DoesNotContain("a-long-passphrase", dump, StringComparison.Ordinal);
        Assert.Equal("set", config.Get("wifi.password"));
        Assert.Null(config.Get("nope"));
        Assert.True(UnitConfig.IsSecret("command.key"));
        Assert.False(UnitConfig.IsSecret("wifi.ssid"));
    }

    [Fact]
    public void TheChecksum_TellsConfigurationsApart_SecretsIncluded()
    {
        var a = UnitConfig.Parse(Minimal + "command.key = 000102030405060708090a0b0c0d0e0f\n");
        var b = UnitConfig.Parse(Minimal + "command.key = 000102030405060708090a0b0c0d0e0e\n");
        var c = UnitConfig.Parse(Minimal + "command.key = 000102030405060708090a0b0c0d0e0f\n");

        Assert.NotEqual(a.Checksum(), b.Checksum());
        Assert.Equal(a.Checksum(), c.Checksum());
    }

    [Theory]
    [InlineData("2026-10-04T06:30:00Z", 1_791_095_400_000_000)]
    [InlineData("2026-10-04T08:30:00+02:00", 1_791_095_400_000_000)]
    [InlineData("2026-10-04T01:30:00-05:00", 1_791_095_400_000_000)]
    [InlineData("2026-10-04T06:30:00.25Z", 1_791_095_400_250_000)]
    [InlineData("2026-10-04t06:30:00.000001z", 1_791_095_400_000_001)]
    [InlineData("2024-02-29T00:00:00Z", 1_709_164_800_000_000)]
    public void IsoTimes_WithAZone_AreRead(string text, long expected)
    {
        Assert.True(ValueText.TryParseUtc(text, out var utc));
        Assert.Equal(expected, utc);
    }

    [Theory]
    [InlineData("2026-10-04T06:30:00")]
    [InlineData("2026-10-04T06:30Z")]
    [InlineData("2026-10-04T24:00:00Z")]
    [InlineData("2025-02-29T00:00:00Z")]
    [InlineData("2026-10-04T06:30:00.1234567Z")]
    [InlineData("2026-10-04T06:30:00+2:00")]
    [InlineData("2026-10-04T06:30:00.Z")]
    [InlineData("1969-12-31T23:59:59Z")]
    [InlineData("")]
    public void IsoTimes_WithoutAZoneOrWrong_AreNot(string text)
    {
        Assert.False(ValueText.TryParseUtc(text, out _));
    }

    [Theory]
    [InlineData("27", 2, 2700L)]
    [InlineData("26.5", 2, 2650L)]
    [InlineData("-0.25", 2, -25L)]
    [InlineData("+3", 0, 3L)]
    public void FixedPointNumbers_AreRead(string text, int decimals, long expected)
    {
        Assert.True(ValueText.TryParseFixed(text, decimals, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("26.555", 2)]
    [InlineData("1e3", 2)]
    [InlineData(".5", 0)]
    [InlineData("5.", 2)]
    [InlineData("-", 0)]
    [InlineData("1 2", 0)]
    [InlineData("1234567890123456789", 0)]
    public void OtherNumbers_AreNot(string text, int decimals)
    {
        Assert.False(ValueText.TryParseFixed(text, decimals, out _));
    }
}
