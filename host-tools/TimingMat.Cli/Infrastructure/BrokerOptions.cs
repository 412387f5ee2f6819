using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TimingMat.Mqtt;

namespace TimingMat.Cli.Infrastructure;

/// <summary>
/// The broker options every command that talks MQTT takes — <c>--broker URL</c>, <c>--username</c>, <c>--password</c>,
/// <c>--ca FILE</c> — read into a checked <see cref="BrokerSettings"/> with the CLI's errors.
/// </summary>
internal sealed class BrokerOptions
{
    private BrokerOptions(string? defaultUrl, bool optional)
    {
        Broker = new Option<string>("--broker")
        {
            Description = "Broker URL: mqtt://host:port (TCP, default port 1883) or mqtts://host:port (TLS, 8883)" + (optional ? "; default: the configuration's mqtt.url" : string.Empty),
            HelpName = "URL",
            Required = defaultUrl == null && !optional,
        };
        if (defaultUrl != null)
        {
            Broker.DefaultValueFactory = _ => defaultUrl;
        }

        Username = new Option<string?>("--username") { Description = "Broker user name" };
        Password = new Option<string?>("--password") { Description = "Broker password" };
        Ca = new Option<string?>("--ca") { Description = "PEM file of the CA that signed the broker's certificate (mqtts:// on a race network with its own CA)", HelpName = "FILE" };
    }

    public Option<string> Broker { get; }

    public Option<string?> Username { get; }

    public Option<string?> Password { get; }

    public Option<string?> Ca { get; }

    /// <summary>Creates the options.</summary>
    /// <param name="defaultUrl">The broker when <c>--broker</c> is left out, or null to make it required.</param>
    /// <returns>The options; add <see cref="All"/> to the command.</returns>
    public static BrokerOptions Create(string? defaultUrl = null) => new(defaultUrl, optional: false);

    /// <summary>Creates the options with <c>--broker</c> optional: the command has another place to find the broker (a configuration file).</summary>
    /// <param name="optional">Must be <c>true</c>.</param>
    /// <returns>The options; read them with <see cref="Read(ParseResult, string?, string)"/>.</returns>
    public static BrokerOptions Create(bool optional) => new(null, optional);

    /// <summary>Gets the options to add to a command.</summary>
    /// <returns>Broker, user name, password and CA.</returns>
    public IEnumerable<Option> All() => [Broker, Username, Password, Ca];

    /// <summary>Reads and checks the options.</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="CliException">A bad URL (<see cref="ExitCode.InvalidInput"/>) or an unusable CA file.</exception>
    public BrokerSettings Read(ParseResult parse) => Read(parse, null, string.Empty);

    /// <summary>Reads and checks the options, taking the broker from elsewhere when <c>--broker</c> is left out.</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="fallbackUrl">The broker when <c>--broker</c> is left out, or null.</param>
    /// <param name="fallbackFix">How to give the broker the other way, for the error when there is none.</param>
    /// <returns>The settings.</returns>
    /// <exception cref="CliException">No broker, a bad URL (<see cref="ExitCode.InvalidInput"/>) or an unusable CA file.</exception>
    public BrokerSettings Read(ParseResult parse, string? fallbackUrl, string fallbackFix)
    {
        var url = parse.GetValue(Broker) ?? fallbackUrl
            ?? throw new CliException(ExitCode.InvalidInput, "no broker: --broker is not given.", $"give --broker mqtt://host:port, or {fallbackFix}.");
        if (!MqttBrokerAddress.TryParse(url, out var broker, out var error))
        {
            throw new CliException(ExitCode.InvalidInput, $"--broker: {error}.", "give the broker as mqtt://host:port, e.g. mqtt://192.168.1.10:1883.");
        }

        var ca = parse.GetValue(Ca);
        return new BrokerSettings(broker!, parse.GetValue(Username), parse.GetValue(Password), ca == null ? null : LoadCa(ca));
    }

    private static X509Certificate2 LoadCa(string path)
    {
        InputFiles.ReadAllBytes(path);
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (CryptographicException e)
        {
            throw new CliException(ExitCode.InvalidInput, $"--ca '{path}' is not a PEM or DER certificate: {e.Message}");
        }
    }
}
