using TimingMat.Core.RaceDay;
using TimingMat.Core.Reader.Mercury;
using TimingMat.Core.Reader.R2000;
using TimingMat.Core.Unit;

namespace TimingMat.Host.Unit;

/// <summary>
/// What a mat unit running on desktop (<c>timingmat unit</c>) is configured with: the file format of
/// docs/unit-config.md, validated by <see cref="UnitConfigLoader"/>.
/// </summary>
public sealed record UnitConfig
{
    /// <summary>Gets the unit (mat) id, 1–65535.</summary>
    public required int UnitId { get; init; }

    /// <summary>Gets the unit's role on the course.</summary>
    public required UnitRole Role { get; init; }

    /// <summary>Gets the reader module's protocol.</summary>
    public required ReaderProtocol ReaderProtocol { get; init; }

    /// <summary>Gets the reader UART's speed.</summary>
    public required int ReaderBaud { get; init; }

    /// <summary>Gets the region the reader transmits in, as the file names it (<c>eu</c>, <c>na</c> …).</summary>
    public required string Region { get; init; }

    /// <summary>Gets the reader's output power in dBm.</summary>
    public required double ReaderPowerDbm { get; init; }

    /// <summary>Gets the antenna ports of an R2000 module (4 or 8); 1 for the M6e Nano.</summary>
    public required int Antennas { get; init; }

    /// <summary>Gets the GPS UART's speed.</summary>
    public required int GpsBaud { get; init; }

    /// <summary>Gets a value indicating whether the file has a race-day window: the unit arms and enters timing mode at start.</summary>
    public required bool Timing { get; init; }

    /// <summary>Gets when the window opens (UTC µs), or null for no opening.</summary>
    public long? OpensUtcMicros { get; init; }

    /// <summary>Gets the window's cut-off (UTC µs), or null for none.</summary>
    public long? CutOffUtcMicros { get; init; }

    /// <summary>Gets the MQTT topic prefix.</summary>
    public required string TopicPrefix { get; init; }

    /// <summary>Gets the MQTT client id (stable across restarts so the broker keeps the unit's session).</summary>
    public required string ClientId { get; init; }

    /// <summary>Gets how often the retained status is refreshed, µs.</summary>
    public required long StatusIntervalMicros { get; init; }

    /// <summary>Gets the crossing detector's reaction time, µs.</summary>
    public required long ReactionMicros { get; init; }

    /// <summary>Gets the journal folder, absolute.</summary>
    public required string JournalDirectory { get; init; }

    /// <summary>Makes the core's settings for this configuration.</summary>
    /// <returns>Settings for a <see cref="MatUnit"/>.</returns>
    public MatUnitSettings ToSettings()
    {
        var settings = new MatUnitSettings(UnitId) { Role = Role, ReaderProtocol = ReaderProtocol };
        settings.Mercury.BaudRates = [ReaderBaud];
        settings.R2000.BaudRates = [ReaderBaud];
        var region = UnitConfigRegions.Find(Region) ?? throw new InvalidOperationException($"unknown region '{Region}'");
        if (ReaderProtocol == ReaderProtocol.Mercury)
        {
            settings.Mercury.Region = region.MercuryCode;
            settings.Mercury.ReadPowerCentiDbm = (int)Math.Round(ReaderPowerDbm * 100);
        }
        else
        {
            settings.R2000.Region = region.R2000Code ?? throw new InvalidOperationException($"R2000 modules have no region '{Region}'");
            settings.R2000.FrequencyStartIndex = region.R2000FirstChannel;
            settings.R2000.FrequencyEndIndex = region.R2000LastChannel;
            settings.R2000.OutputPowerDbm = (int)ReaderPowerDbm;
            settings.R2000.AntennaPorts = Antennas;
        }

        settings.Crossings.Mode = UnitRoleText.DefaultMode(Role);
        settings.Crossings.SetCapacity(UnitRoleText.DefaultChipCapacity(Role));
        settings.Crossings.ReactionMicros = ReactionMicros;
        settings.Uplink.ClientId = ClientId;
        settings.Uplink.StatusIntervalMicros = StatusIntervalMicros;
        settings.Uplink.Outbox.TopicPrefix = TopicPrefix;

        // A desktop journal gets a random id on creation, as the device does from its RNG: a recreated journal must not
        // look like the old one to the collector.
        settings.Journal.NewJournalId = Random.Shared.Next(1, int.MaxValue);
        return settings;
    }
}
