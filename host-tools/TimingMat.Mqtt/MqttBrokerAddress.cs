namespace TimingMat.Mqtt;

/// <summary>
/// Where the broker is: <c>mqtt://host[:port]</c> (TCP, default port 1883) or <c>mqtts://host[:port]</c> (TLS,
/// default port 8883), as <c>timingmat</c> takes it on the command line.
/// </summary>
/// <param name="Host">Host name or IP address.</param>
/// <param name="Port">TCP port.</param>
/// <param name="UseTls">Whether the connection uses TLS.</param>
public sealed record MqttBrokerAddress(string Host, int Port, bool UseTls)
{
    /// <summary>Parses a broker URL.</summary>
    /// <param name="text">The URL; a bare <c>host[:port]</c> means <c>mqtt://</c>.</param>
    /// <param name="address">The address when valid.</param>
    /// <param name="error">Why it is not, when invalid.</param>
    /// <returns><c>true</c> when the URL is valid.</returns>
    public static bool TryParse(string text, out MqttBrokerAddress? address, out string? error)
    {
        address = null;
        var withScheme = text.Contains("://", StringComparison.Ordinal) ? text : "mqtt://" + text;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            error = $"'{text}' is not a broker URL like mqtt://host:1883";
            return false;
        }

        var tls = uri.Scheme switch
        {
            "mqtt" or "tcp" => false,
            "mqtts" or "ssl" => true,
            _ => (bool?)null,
        };
        if (tls == null)
        {
            error = $"'{uri.Scheme}' is not a broker scheme: use mqtt:// or mqtts://";
            return false;
        }

        if (uri.AbsolutePath is not ("/" or "") || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
        {
            error = $"'{text}' has a path, query or user part; give credentials with --username/--password";
            return false;
        }

        address = new MqttBrokerAddress(uri.Host, uri.IsDefaultPort || uri.Port < 0 ? (tls.Value ? 8883 : 1883) : uri.Port, tls.Value);
        error = null;
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"{(UseTls ? "mqtts" : "mqtt")}://{Host}:{Port}";
}
