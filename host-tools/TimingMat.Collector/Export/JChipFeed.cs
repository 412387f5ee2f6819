using System.Globalization;
using System.Net.Sockets;
using System.Text;
using TimingMat.Host.Ports;

namespace TimingMat.Collector.Export;

/// <summary>
/// Sends records to CrossMgr's JChip receiver over TCP, as a JChip receiver does (esitarski/CrossMgr JChip.py, the
/// receiver side as in Impinj2JChip.py): we connect and name ourselves (<c>N0000&lt;name&gt;</c>), CrossMgr asks our
/// time of day (<c>GT</c>) and we answer it (<c>GT0HHMMSShh date=YYYYMMDD</c>), CrossMgr says start (<c>S…</c>), then
/// one <c>DA…</c> record per passing. Every message ends with CR alone. CrossMgr moves each record's time by its own
/// clock minus the time we answered, so the answer is this computer's clock in the same local time as the records.
/// </summary>
public static class JChipFeed
{
    /// <summary>The port CrossMgr's JChip receiver listens on unless told otherwise.</summary>
    public const int DefaultPort = 53135;

    private const char Cr = '\r';

    /// <summary>Connects, shakes hands and sends the records, then closes.</summary>
    /// <param name="host">CrossMgr's computer.</param>
    /// <param name="port">Its JChip port.</param>
    /// <param name="name">Our receiver name as CrossMgr shows it.</param>
    /// <param name="records">The chips and their times (UTC µs), in the order to send.</param>
    /// <param name="clock">The race's local time.</param>
    /// <param name="utcNowMicros">This computer's clock, UTC µs (the time-of-day answer).</param>
    /// <param name="timeout">How long to wait for the connection and each of CrossMgr's commands.</param>
    /// <returns>The records sent.</returns>
    /// <exception cref="SocketException">CrossMgr cannot be reached.</exception>
    /// <exception cref="IOException">CrossMgr closed the connection or did not answer in time.</exception>
    public static int Send(string host, int port, string name, IReadOnlyList<(string ChipHex, long UtcMicros)> records, ExportClock clock, Func<long> utcNowMicros, TimeSpan timeout)
    {
        Socket socket;
        try
        {
            socket = TcpConnection.Open(host, port, timeout);
        }
        catch (TimeoutException)
        {
            throw new IOException($"no connection to {host}:{port} within {timeout.TotalSeconds:0} s");
        }

        socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        socket.SendTimeout = (int)timeout.TotalMilliseconds;
        using var stream = new NetworkStream(socket, ownsSocket: true);
        Write(stream, "N0000" + name);
        WaitFor(stream, "GT");
        var now = clock.Local(utcNowMicros());
        var c = CultureInfo.InvariantCulture;
        Write(stream, string.Create(c, $"GT0{now.ToString("HHmmss", c)}{now.Millisecond / 10:00} date={now.ToString("yyyyMMdd", c)}"));
        WaitFor(stream, "S");

        // One write per batch of records: a large race's finish is thousands of lines.
        var batch = new StringBuilder();
        for (var i = 0; i < records.Count; i++)
        {
            batch.Append(JChipRecord.Line(i, records[i].ChipHex, records[i].UtcMicros, clock, live: true)).Append(Cr);
            if (batch.Length > 16_000 || i == records.Count - 1)
            {
                var bytes = Encoding.ASCII.GetBytes(batch.ToString());
                stream.Write(bytes, 0, bytes.Length);
                batch.Clear();
            }
        }

        stream.Flush();
        socket.Shutdown(SocketShutdown.Send);
        return records.Count;
    }

    private static void Write(NetworkStream stream, string message)
    {
        var bytes = Encoding.ASCII.GetBytes(message + Cr);
        stream.Write(bytes, 0, bytes.Length);
    }

    // Reads CR-ended messages until one starts with the command (CrossMgr may say other things first).
    private static void WaitFor(NetworkStream stream, string command)
    {
        var line = new StringBuilder();
        while (true)
        {
            var b = stream.ReadByte();
            if (b < 0)
            {
                throw new IOException($"CrossMgr closed the connection before sending {command}");
            }

            if (b != Cr)
            {
                line.Append((char)b);
                continue;
            }

            if (line.ToString().Trim().StartsWith(command, StringComparison.Ordinal))
            {
                return;
            }

            line.Clear();
        }
    }
}
