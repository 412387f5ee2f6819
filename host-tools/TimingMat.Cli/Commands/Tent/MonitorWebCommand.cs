using TimingMat.Cli.Infrastructure;
using TimingMat.Tent.Monitoring;
using TimingMat.Tent.Web;

namespace TimingMat.Cli.Commands.Tent;

/// <summary>Starts <c>monitor --web</c>'s pages with the CLI's errors and says where they are.</summary>
internal static class MonitorWebCommand
{
    public static MonitorWebServer Start(CommandOutput output, FleetMonitor monitor, MonitorWebAddress address)
    {
        MonitorWebServer server;
        try
        {
            server = MonitorWebServer.Start(monitor, address.EndPoint);
        }
        catch (IOException e)
        {
            throw new CliException(ExitCode.PortUnavailable, $"cannot serve the monitor's pages on {address.EndPoint}: {e.Message}", "pick another port (--web 127.0.0.1:8081), or stop the program that holds this one.");
        }

        output.Out.WriteLine($"Fleet page: {server.Url}  checkpoint screens: {server.Url}mat/<unit>");
        output.Out.Flush();
        return server;
    }
}
