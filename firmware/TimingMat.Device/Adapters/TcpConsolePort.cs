using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using TimingMat.Core.Hardware;

namespace TimingMat.Device.Adapters
{
    /// <summary>
    /// The unit console's byte port on the board: a TCP listener on the unit's network (firmware/docs/console.md: the
    /// classic ESP32's USB UART belongs to nanoFramework's wire protocol, so the console cannot be there). One client at
    /// a time; a new connection takes the port over from a stale one. Bytes written with nobody connected are dropped,
    /// as on a serial line with nothing plugged in. <see cref="Read"/> never blocks: it takes what the socket holds.
    /// </summary>
    public sealed class TcpConsolePort : IBytePort
    {
        private readonly int _port;
        private readonly object _sync = new object();
        private Socket _listener;
        private Socket _client;
        private Thread _acceptor;

        /// <summary>Initializes a new instance of the <see cref="TcpConsolePort"/> class. Does not listen yet.</summary>
        /// <param name="port">The TCP port (the console's is 2323).</param>
        public TcpConsolePort(int port)
        {
            _port = port;
            BaudRate = 115200;
        }

        /// <inheritdoc />
        public bool IsOpen
        {
            get { return _listener != null; }
        }

        /// <inheritdoc />
        /// <remarks>A TCP port has no line speed: kept only so the console can set and read it like a UART's.</remarks>
        public int BaudRate { get; set; }

        /// <inheritdoc />
        /// <exception cref="SocketException">The network stack cannot listen yet (no interface up): the console tries again a second later.</exception>
        public void Open()
        {
            if (_listener != null)
            {
                return;
            }

            Socket listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                listener.Bind(new IPEndPoint(IPAddress.Any, _port));
                listener.Listen(1);
            }
            catch (Exception)
            {
                listener.Close();
                throw;
            }

            _listener = listener;

            // Accept blocks: on a thread of its own so the unit's loop never waits for a technician.
            _acceptor = new Thread(Accept);
            _acceptor.Start();
        }

        /// <inheritdoc />
        public void Close()
        {
            Socket listener = _listener;
            _listener = null;
            lock (_sync)
            {
                Drop();
            }

            if (listener != null)
            {
                listener.Close();
            }
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count)
        {
            lock (_sync)
            {
                Socket client = _client;
                if (client == null)
                {
                    return 0;
                }

                try
                {
                    int available = client.Available;
                    if (available == 0)
                    {
                        // Readable with nothing to read is how a socket says the other end closed.
                        if (client.Poll(0, SelectMode.SelectRead))
                        {
                            Drop();
                        }

                        return 0;
                    }

                    return client.Receive(buffer, offset, available < count ? available : count, SocketFlags.None);
                }
                catch (SocketException)
                {
                    Drop();
                    return 0;
                }
            }
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            lock (_sync)
            {
                Socket client = _client;
                if (client == null)
                {
                    return;
                }

                try
                {
                    int sent = 0;
                    while (sent < count)
                    {
                        sent += client.Send(buffer, offset + sent, count - sent, SocketFlags.None);
                    }
                }
                catch (SocketException)
                {
                    Drop();
                }
            }
        }

        /// <inheritdoc />
        public void DiscardInput()
        {
            byte[] scratch = new byte[64];
            while (Read(scratch, 0, scratch.Length) > 0)
            {
            }
        }

        private void Accept()
        {
            while (true)
            {
                Socket listener = _listener;
                if (listener == null)
                {
                    return;
                }

                Socket accepted;
                try
                {
                    accepted = listener.Accept();
                }
                catch (Exception)
                {
                    // The listener was closed (Close) or the network went down: the console opens it again.
                    if (_listener == listener)
                    {
                        _listener = null;
                        listener.Close();
                    }

                    return;
                }

                lock (_sync)
                {
                    Drop();
                    _client = accepted;
                }
            }
        }

        // Called under _sync.
        private void Drop()
        {
            if (_client != null)
            {
                try
                {
                    _client.Close();
                }
                catch (Exception)
                {
                    // Already gone.
                }

                _client = null;
            }
        }
    }
}
