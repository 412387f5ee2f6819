using System.Globalization;
using System.Net;
using TimingMat.Cli.Infrastructure;

namespace TimingMat.Cli.Commands.Tent;

/// <summary>Where <c>monitor --web</c> listens: loopback unless <c>--web-public</c> says otherwise, since the page acknowledges the tent's alarms.</summary>
/// <param name="EndPoint">The address and port (port 0: a free one).</param>
internal sealed record MonitorWebAddress(IPEndPoint EndPoint)
{
    /// <summary>The address when <c>--web</c> names none.</summary>
    public const string Default = "127.0.0.1:8080";

    /// <summary>Reads <c>ADDR:PORT</c>, <c>:PORT</c> (loopback) or <c>[v6]:PORT</c>.</summary>
    public static MonitorWebAddress Parse(string? text, bool allowPublic)
    {
        text = string.IsNullOrWhiteSpace(text) ? Default : text.Trim();
        if (text.StartsWith(':'))
        {
            text = "127.0.0.1" + text;
        }

        if (!IPEndPoint.TryParse(text, out var endpoint) || !text.Contains(':', StringComparison.Ordinal) || text.EndsWith(']'))
        {
            throw new CliException(ExitCode.InvalidInput, $"--web '{text}' is not ADDR:PORT.", "give --web 127.0.0.1:8080 (or :8080), or --web alone for " + Default + ".");
        }

        if (!IPAddress.IsLoopback(endpoint.Address) && !allowPublic)
        {
            throw new CliException(ExitCode.InvalidInput, string.Create(CultureInfo.InvariantCulture, $"--web {text} would serve the monitor beyond this computer: anyone on that network could see the fleet and acknowledge its alarms."), "add --web-public to serve it on the tent's own network on purpose, or give a loopback address such as 127.0.0.1:" + endpoint.Port + ".");
        }

        return new MonitorWebAddress(endpoint);
    }
}
