using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Xunit;

namespace TimingMat.Host.Tests.Ports;

/// <summary>
/// A real pseudo-terminal: the port under test opens <see cref="SlavePath"/> as a serial device, the test plays the
/// module on the master side. A receive thread drains the master so the test can look at what arrived without blocking.
/// </summary>
internal sealed class PseudoTerminal : IDisposable
{
    private const int ReadWrite = 2;
    private const int NoControllingTerminal = 0x100;

    private readonly SafeFileHandle _master;
    private readonly FileStream _masterStream;
    private readonly ConcurrentQueue<byte> _received = new();

    public PseudoTerminal()
    {
        var fd = PosixOpenpt(ReadWrite | NoControllingTerminal);
        Assert.True(fd >= 0, "posix_openpt failed");
        Assert.Equal(0, Grantpt(fd));
        Assert.Equal(0, Unlockpt(fd));
        var name = new byte[128];
        Assert.Equal(0, PtsnameR(fd, name, (nuint)name.Length));
        SlavePath = Encoding.ASCII.GetString(name, 0, Array.IndexOf(name, (byte)0));
        _master = new SafeFileHandle(fd, ownsHandle: true);
        _masterStream = new FileStream(_master, FileAccess.ReadWrite, 1);
    }

    /// <summary>Gets the device path a serial port opens.</summary>
    public string SlavePath { get; }

    /// <summary>Gets the master side, for tests that read it directly.</summary>
    public Stream Master => _masterStream;

    /// <summary>Starts draining the master into a queue read by <see cref="TakeReceived"/>.</summary>
    public void StartDraining() =>
        new Thread(Drain) { IsBackground = true, Name = "pty master drain" }.Start();

    /// <summary>Writes bytes from the module's side.</summary>
    /// <param name="bytes">The bytes.</param>
    public void Send(byte[] bytes)
    {
        _masterStream.Write(bytes);
        _masterStream.Flush();
    }

    /// <summary>Copies drained bytes; never blocks.</summary>
    /// <param name="buffer">Destination.</param>
    /// <param name="offset">First index.</param>
    /// <param name="count">Largest count.</param>
    /// <returns>Bytes copied.</returns>
    public int TakeReceived(byte[] buffer, int offset, int count)
    {
        var n = 0;
        while (n < count && _received.TryDequeue(out var b))
        {
            buffer[offset + n++] = b;
        }

        return n;
    }

    public void Dispose()
    {
        _masterStream.Dispose();
        _master.Dispose();
    }

    private void Drain()
    {
        var chunk = new byte[4096];
        try
        {
            int n;
            while ((n = _masterStream.Read(chunk, 0, chunk.Length)) > 0)
            {
                for (var i = 0; i < n; i++)
                {
                    _received.Enqueue(chunk[i]);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The slave closed (EIO) or the test ended: nothing more will arrive.
        }
    }

    // Plain DllImport: blittable signatures, no unsafe code needed in the test project.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "posix_openpt", SetLastError = true)]
    private static extern int PosixOpenpt(int flags);

    [DllImport("libc", EntryPoint = "grantpt", SetLastError = true)]
    private static extern int Grantpt(int fd);

    [DllImport("libc", EntryPoint = "unlockpt", SetLastError = true)]
    private static extern int Unlockpt(int fd);

    [DllImport("libc", EntryPoint = "ptsname_r", SetLastError = true)]
    private static extern int PtsnameR(int fd, [Out] byte[] buffer, nuint length);
#pragma warning restore SYSLIB1054
}
