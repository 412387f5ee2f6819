using System.Net;
using System.Net.Sockets;

namespace TimingMat.Host.Ports;

/// <summary>
/// Opens a TCP connection with a time limit on the calling thread. <c>TcpClient.ConnectAsync(...).Wait(timeout)</c>
/// needs a thread-pool thread to finish the connect, and in a busy process (a collector under load, a parallel test
/// run) the pool can be starved for seconds: a bridge listening on loopback then "does not answer within 5 s".
/// A non-blocking connect polled on this thread needs nothing but the socket.
/// </summary>
public static class TcpConnection
{
    /// <summary>Connects to the first of the host's addresses that accepts, all within the time limit.</summary>
    /// <param name="host">Host name or address.</param>
    /// <param name="port">TCP port.</param>
    /// <param name="timeout">Longest wait for all addresses together.</param>
    /// <returns>The connected socket (blocking, Nagle off), owned by the caller.</returns>
    /// <exception cref="SocketException">The host is unknown or refused the connection.</exception>
    /// <exception cref="TimeoutException">No address answered within <paramref name="timeout"/>.</exception>
    public static Socket Open(string host, int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        SocketException? refused = null;
        foreach (var address in Addresses(host))
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                if (TryConnect(socket, new IPEndPoint(address, port), deadline))
                {
                    return socket;
                }

                socket.Dispose();
                break;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                refused = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw refused ?? (Exception)new TimeoutException($"no answer within {timeout.TotalSeconds:0.#} s");
    }

    private static IPAddress[] Addresses(string host) =>
        IPAddress.TryParse(host, out var address) ? [address] : Dns.GetHostAddresses(host);

    /// <returns><c>false</c> when the deadline passed first.</returns>
    private static bool TryConnect(Socket socket, IPEndPoint endPoint, DateTime deadline)
    {
        socket.Blocking = false;
        try
        {
            socket.Connect(endPoint);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            var left = deadline - DateTime.UtcNow;
            var micros = left <= TimeSpan.Zero ? 0 : (int)Math.Min(left.Ticks / 10, int.MaxValue);

            // A refused connect is writable with an error pending on Linux and only in error on Windows: ask both.
            var ended = socket.Poll(micros, SelectMode.SelectWrite) || socket.Poll(0, SelectMode.SelectError);
            var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
            if (error != SocketError.Success)
            {
                throw new SocketException((int)error);
            }

            if (!ended)
            {
                return false;
            }
        }

        socket.Blocking = true;
        return true;
    }
}
