using TimingMat.Mqtt;
using TimingMat.Simulation.Field;
using TimingMat.Simulation.Scenarios;

namespace TimingMat.Simulation.Hil;

/// <summary>What a hardware-in-the-loop run plays, into which ports, and where the board's passings are collected.</summary>
public sealed record HilOptions
{
    /// <summary>Gets the race: the scenario's runners and the truth the board is scored against.</summary>
    public required RaceField Field { get; init; }

    /// <summary>Gets the scenario.</summary>
    public Scenario Scenario => Field.Scenario;

    /// <summary>Gets the mat the board plays (the board is one unit; its unit id must be the mat's).</summary>
    public required MatSpec Mat { get; init; }

    /// <summary>Gets the seed the field was generated with; it seeds the emulators too.</summary>
    public required int Seed { get; init; }

    /// <summary>Gets the true UTC µs the play starts at (the GPS starts acquiring then).</summary>
    public required long FromUtcMicros { get; init; }

    /// <summary>Gets the true UTC µs the play ends at: runners crossing later are not fed to the reader.</summary>
    public required long ToUtcMicros { get; init; }

    /// <summary>
    /// Gets the ports to the board's reader UARTs (<c>tcp://host:port</c> or a device), one per reader module of the mat
    /// in reader-index order: module i's emulator plays into port i.
    /// </summary>
    public required IReadOnlyList<string> ReaderPorts { get; init; }

    /// <summary>Gets the port to the board's GPS UART.</summary>
    public required string GpsPort { get; init; }

    /// <summary>Gets the port driving the board's PPS input, or null.</summary>
    public string? PpsPort { get; init; }

    /// <summary>Gets the reader UARTs' speed on device ports.</summary>
    public int ReaderBaud { get; init; } = 115_200;

    /// <summary>Gets the GPS UART's speed on a device port.</summary>
    public int GpsBaud { get; init; } = 9600;

    /// <summary>Gets the broker the board publishes to.</summary>
    public required MqttBrokerAddress Broker { get; init; }

    /// <summary>Gets the board's topic prefix.</summary>
    public required string TopicPrefix { get; init; }

    /// <summary>Gets the harness collector's MQTT client id.</summary>
    public required string ClientId { get; init; }

    /// <summary>Gets the broker user name, or null.</summary>
    public string? Username { get; init; }

    /// <summary>Gets the broker password, or null.</summary>
    public string? Password { get; init; }

    /// <summary>Gets a hook that adjusts the collector's MQTT client (TLS trust).</summary>
    public Action<MqttLinkOptions>? ConfigureClient { get; init; }

    /// <summary>Gets the GPS's time to first fix after the play starts (a hot start by default).</summary>
    public double GpsAcquisitionSeconds { get; init; } = 2;

    /// <summary>Gets the longest wait after the play for the board's last passings.</summary>
    public TimeSpan DrainLimit { get; init; } = TimeSpan.FromSeconds(30);
}
