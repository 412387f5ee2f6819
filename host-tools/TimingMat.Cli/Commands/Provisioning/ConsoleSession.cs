using System.Diagnostics;
using System.Text;
using TimingMat.Cli.Infrastructure;
using TimingMat.Core.Hardware;
using TimingMat.Core.Unit;
using TimingMat.Host.Ports;

namespace TimingMat.Cli.Commands.Provisioning;

/// <summary>
/// The host's side of the unit console (firmware/docs/console.md): one command line at a time, its data lines and
/// its final <c>OK</c>/<c>ERR</c> line, the unit's own <c>* </c> lines skipped. Every exchange goes to a transcript
/// (for <c>--dry-run</c> and the log) with the value of a secret key replaced by its length: a secret is written to the
/// unit and never printed.
/// </summary>
internal sealed class ConsoleSession : IDisposable
{
    private static readonly TimeSpan s_answer = TimeSpan.FromSeconds(10);

    private readonly string _address;
    private readonly Action<string> _transcript;
    private readonly StringBuilder _pending = new();
    private readonly byte[] _buffer = new byte[4096];
    private IBytePort _port;

    private ConsoleSession(string address, IBytePort port, Action<string> transcript)
    {
        _address = address;
        _port = port;
        _transcript = transcript;
    }

    /// <summary>Gets the last hello line.</summary>
    public ConsoleHello Hello { get; private set; } = ConsoleHello.None;

    /// <summary>Opens the console and asks for its hello.</summary>
    /// <param name="address"><c>tcp://host:port</c> or a serial device.</param>
    /// <param name="transcript">Receives every exchange, secrets masked.</param>
    /// <param name="within">How long the unit may take to answer (a board booting).</param>
    /// <returns>The session.</returns>
    /// <exception cref="CliException">The port cannot be opened (20) or nothing answers as a unit console (21).</exception>
    public static ConsoleSession Open(string address, Action<string> transcript, TimeSpan within)
    {
        IBytePort port;
        try
        {
            port = BytePortAddress.Create(address, 115_200);
        }
        catch (FormatException e)
        {
            throw new CliException(ExitCode.InvalidInput, e.Message + ".", "give the console as tcp://host:port (a unit's TCP console or a serial bridge) or a serial device such as /dev/ttyUSB0.");
        }

        var session = new ConsoleSession(address, port, transcript);
        session.Connect(within);
        return session;
    }

    /// <summary>Sends a command and waits for its final line.</summary>
    /// <param name="command">The command line.</param>
    /// <param name="shown">How the transcript shows it (a secret masked), or null for as sent.</param>
    /// <param name="within">How long the unit may take, or null for 10 s.</param>
    /// <param name="line">Receives each data line as it comes (the self-test's), or null.</param>
    /// <returns>The reply.</returns>
    /// <exception cref="CliException">No final line in time (21), or the port closed (21).</exception>
    public ConsoleReply Send(string command, string? shown = null, TimeSpan? within = null, Action<string>? line = null)
    {
        _transcript("> " + (shown ?? command));
        var bytes = Encoding.ASCII.GetBytes(command + "\n");
        try
        {
            _port.Write(bytes, 0, bytes.Length);
        }
        catch (InvalidOperationException e)
        {
            throw NotResponding($"the console on {_address} closed while sending '{shown ?? command}' ({e.Message})");
        }

        var lines = new List<string>();
        var watch = Stopwatch.StartNew();
        var limit = within ?? s_answer;
        while (watch.Elapsed < limit)
        {
            var next = NextLine(TimeSpan.FromMilliseconds(50));
            if (next == null)
            {
                if (!_port.IsOpen)
                {
                    throw NotResponding($"the console on {_address} closed during '{shown ?? command}'");
                }

                continue;
            }

            _transcript("< " + next);
            if (next == "OK" || next.StartsWith("OK ", StringComparison.Ordinal) || next.StartsWith("ERR ", StringComparison.Ordinal))
            {
                return new ConsoleReply(lines, next);
            }

            lines.Add(next);
            line?.Invoke(next);
        }

        throw NotResponding($"no answer to '{shown ?? command}' from {_address} within {limit.TotalSeconds:0} s");
    }

    /// <summary>Waits until the unit runs a configuration with a checksum (after a commit it restarts), reconnecting if the console dropped.</summary>
    /// <param name="checksum">The checksum the unit must report.</param>
    /// <param name="within">How long a restart may take.</param>
    /// <returns><c>true</c> when the unit reported it.</returns>
    public bool WaitForConfiguration(string checksum, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < within)
        {
            try
            {
                if (!_port.IsOpen)
                {
                    Connect(within - watch.Elapsed);
                }

                var reply = Send("hello", within: TimeSpan.FromSeconds(3));
                Hello = ConsoleHello.Parse(reply.Lines.FirstOrDefault() ?? string.Empty);
                if (Hello.Provisioned == "yes" && Hello.Checksum == checksum)
                {
                    return true;
                }
            }
            catch (CliException)
            {
                // A board rebooting: its console comes back in a few seconds.
            }

            Thread.Sleep(250);
        }

        return false;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _port.Close();
        (_port as IDisposable)?.Dispose();
    }

    private void Connect(TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        Exception? last = null;
        while (true)
        {
            try
            {
                _port.Open();
                break;
            }
            catch (InvalidOperationException e)
            {
                last = e;
            }

            if (watch.Elapsed >= within)
            {
                throw new CliException(ExitCode.PortUnavailable, $"the console port {_address} cannot be opened: {last?.InnerException?.Message ?? last?.Message}.", _address.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase)
                    ? "check that the unit is on the network and serves its console there (tcp://<unit>:2323), or that the TCP serial bridge runs."
                    : "check the cable and device name (ls /dev/ttyUSB* /dev/ttyACM*), that no other program has it open, and that your user is in the dialout group.");
            }

            Thread.Sleep(200);
        }

        _pending.Clear();
        _port.DiscardInput();
        while (true)
        {
            try
            {
                var reply = Send("hello", within: TimeSpan.FromSeconds(2));
                Hello = ConsoleHello.Parse(reply.Lines.FirstOrDefault() ?? string.Empty);
                if (Hello.Version > 0)
                {
                    if (Hello.Version != UnitConsole.ProtocolVersion)
                    {
                        throw new CliException(ExitCode.DeviceNotResponding, $"the unit on {_address} speaks console protocol {Hello.Version}; this timingmat speaks {UnitConsole.ProtocolVersion}.", "use the timingmat release that matches the unit's firmware, or flash the unit again.");
                    }

                    return;
                }
            }
            catch (CliException e) when (e.Code == ExitCode.DeviceNotResponding && watch.Elapsed < within)
            {
                // Booting, or the line had noise: ask again.
            }

            if (watch.Elapsed >= within)
            {
                throw NotResponding($"nothing on {_address} answered 'hello' as a TimingMat unit console within {within.TotalSeconds:0} s");
            }
        }
    }

    private string? NextLine(TimeSpan wait)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var text = _pending.ToString();
            var end = text.IndexOf('\n', StringComparison.Ordinal);
            if (end >= 0)
            {
                _pending.Remove(0, end + 1);
                var line = text[..end].TrimEnd('\r');
                if (line.StartsWith("* ", StringComparison.Ordinal) || line.Length == 0)
                {
                    continue;
                }

                return line;
            }

            var n = _port.Read(_buffer, 0, _buffer.Length);
            if (n > 0)
            {
                _pending.Append(Encoding.Latin1.GetString(_buffer, 0, n));
                continue;
            }

            if (watch.Elapsed >= wait)
            {
                return null;
            }

            Thread.Sleep(2);
        }
    }

    private CliException NotResponding(string message) => new(
        ExitCode.DeviceNotResponding,
        message + ".",
        "check that the unit runs TimingMat firmware (timingmat flash), is powered, and that the console address is the unit's (tcp://<unit>:2323 on its network, or the serial device its console is on; firmware/docs/console.md).");
}

/// <summary>What a command got back: its data lines and its final line.</summary>
/// <param name="Lines">The data lines.</param>
/// <param name="Final">The final line: <c>OK …</c> or <c>ERR code message</c>.</param>
internal sealed record ConsoleReply(IReadOnlyList<string> Lines, string Final)
{
    public bool IsOk => Final == "OK" || Final.StartsWith("OK ", StringComparison.Ordinal);

    /// <summary>Gets what follows <c>OK</c>, or the error's message after its code.</summary>
    public string Detail => IsOk ? (Final.Length > 3 ? Final[3..] : string.Empty) : (Final.Split(' ', 3) is { Length: 3 } parts ? parts[2] : Final);

    /// <summary>Gets the error's code (<c>invalid-value</c> …), or null.</summary>
    public string? ErrorCode => IsOk ? null : Final.Split(' ', 3).ElementAtOrDefault(1);
}

/// <summary>The unit's hello line: <c>TIMINGMAT-CONSOLE 1 firmware=0.1.0 unit=5 provisioned=yes config=3fa2c01b staged=clean</c>.</summary>
internal sealed record ConsoleHello(int Version, string Firmware, string Unit, string Provisioned, string Checksum)
{
    public static ConsoleHello None { get; } = new(0, "unknown", "none", "no", "none");

    public static ConsoleHello Parse(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || parts[0] != UnitConsole.Banner || !int.TryParse(parts[1], out var version))
        {
            return None;
        }

        string Field(string name) => parts.Skip(2).Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[0] == name).Select(p => p[1]).FirstOrDefault() ?? "unknown";
        return new ConsoleHello(version, Field("firmware"), Field("unit"), Field("provisioned"), Field("config"));
    }
}
