using System.Diagnostics;
using System.Globalization;

namespace TimingMat.Host.Ports;

/// <summary>
/// A byte port on a Linux serial device (/dev/ttyUSB0, /dev/ttyACM0, a pty). System.IO.Ports is not available to
/// us, so the device is opened as a file after <c>stty</c> puts it in raw mode at the wanted speed (8N1, no flow
/// control, no echo, no line editing): what a reader or GPS module needs.
/// </summary>
public sealed class TtyBytePort : StreamBytePort
{
    private readonly string _device;
    private int _baud;

    /// <summary>Initializes a new instance of the <see cref="TtyBytePort"/> class. Does not open the device.</summary>
    /// <param name="device">Device path, e.g. /dev/ttyUSB0.</param>
    /// <param name="baud">Line speed.</param>
    public TtyBytePort(string device, int baud)
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
            if (IsOpen)
            {
                Configure();
            }
        }
    }

    /// <inheritdoc />
    protected override Stream OpenStream()
    {
        if (!File.Exists(_device))
        {
            throw new IOException($"{_device} does not exist (is the adapter plugged in?)");
        }

        Configure();
        return new FileStream(_device, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1, FileOptions.None);
    }

    private void Configure()
    {
        var start = new ProcessStartInfo("stty")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-F", _device, _baud.ToString(CultureInfo.InvariantCulture), "raw", "-echo", "-echoe", "-echok", "-ixon", "-ixoff", "-crtscts", "cs8", "-cstopb", "-parenb", "clocal", "min", "1", "time", "0" })
        {
            start.ArgumentList.Add(arg);
        }

        using var stty = Process.Start(start) ?? throw new IOException("cannot run stty");
        var error = stty.StandardError.ReadToEnd();
        stty.WaitForExit();
        if (stty.ExitCode != 0)
        {
            throw new IOException($"stty cannot configure {_device} at {_baud} baud: {error.Trim()}");
        }
    }
}
