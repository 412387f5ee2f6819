using System.IO.Ports;

namespace TimingMat.Host.Ports;

/// <summary>
/// A byte port on a serial device through System.IO.Ports: a USB-serial adapter (<c>/dev/ttyUSB0</c>,
/// <c>/dev/ttyACM0</c>, a <c>/dev/serial/by-id/…</c> link, <c>COM3</c> on Windows) or a pseudo-terminal, opened raw at the
/// wanted speed, 8N1, no flow control: what a reader module, a GPS or a unit's console needs. The receive thread of
/// <see cref="StreamBytePort"/> drains it so <see cref="StreamBytePort.Read"/> never blocks.
/// </summary>
public sealed class SerialDeviceBytePort : StreamBytePort
{
    private readonly string _device;
    private SerialPort? _serial;
    private int _baud;

    /// <summary>Initializes a new instance of the <see cref="SerialDeviceBytePort"/> class. Does not open the device.</summary>
    /// <param name="device">Device path (e.g. /dev/ttyUSB0) or a Windows port name (COM3).</param>
    /// <param name="baud">Line speed.</param>
    public SerialDeviceBytePort(string device, int baud)
        : base(device, 256 * 1024)
    {
        _device = device;
        _baud = baud;
    }

    /// <inheritdoc />
    public override int BaudRate
    {
        get => _baud;
        set
        {
            _baud = value;
            var serial = _serial;
            if (serial is { IsOpen: true })
            {
                try
                {
                    serial.BaudRate = value;
                }
                catch (IOException e)
                {
                    throw new InvalidOperationException($"{_device} cannot run at {value} baud: {e.Message}", e);
                }
            }
        }
    }

    /// <inheritdoc />
    protected override Stream OpenStream()
    {
        if (_device.StartsWith("/dev/", StringComparison.Ordinal) && !File.Exists(_device))
        {
            throw new IOException($"{_device} does not exist (is the adapter plugged in?)");
        }

        var serial = new SerialPort(_device, _baud, Parity.None, 8, StopBits.One)
        {
            Handshake = Handshake.None,
            DtrEnable = false,
            RtsEnable = false,
            ReadTimeout = SerialPort.InfiniteTimeout,
            WriteTimeout = 5000,
            ReadBufferSize = 64 * 1024,
        };
        try
        {
            serial.Open();
        }
        catch (ArgumentException e)
        {
            serial.Dispose();
            throw new IOException($"{_device} is not a serial port: {e.Message}", e);
        }
        catch
        {
            serial.Dispose();
            throw;
        }

        _serial = serial;
        return new OwningStream(serial);
    }

    /// <summary>The port's stream, which closes the port when the byte port lets it go.</summary>
    private sealed class OwningStream(SerialPort serial) : Stream
    {
        private readonly Stream _inner = serial.BaseStream;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => _inner.Flush();

        public override int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                return _inner.Read(buffer, offset, count);
            }
            catch (TimeoutException)
            {
                return 0;
            }
            catch (OperationCanceledException e)
            {
                throw new IOException("the port was closed", e);
            }
        }

        public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                try
                {
                    serial.Dispose();
                }
                catch (Exception e) when (e is ObjectDisposedException or IOException)
                {
                    // An unplugged adapter cannot drain its buffer on close: the port is gone either way.
                }
            }

            base.Dispose(disposing);
        }
    }
}
