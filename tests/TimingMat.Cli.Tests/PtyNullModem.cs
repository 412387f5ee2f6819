using System.Diagnostics;
using TimingMat.Host.Tests.Ports;

namespace TimingMat.Cli.Tests;

/// <summary>
/// Two serial devices joined by a null-modem cable, as two USB-serial adapters wired TX to RX would be, or as
/// <c>socat pty,raw pty,raw</c> makes them: two real pseudo-terminals whose master sides a pump joins. Each program
/// opens its end as a tty device (<see cref="EndA"/>, <see cref="EndB"/>) through System.IO.Ports. An end whose
/// program has closed it drops what is sent to it, as an unplugged cable would.
/// </summary>
internal sealed class PtyNullModem : IDisposable
{
    private readonly PseudoTerminal _a = new();
    private readonly PseudoTerminal _b = new();
    private volatile bool _stopped;

    public PtyNullModem()
    {
        // Raw and without echo before either program opens its end: a fresh pty echoes what it receives, and the
        // echo would come back through the cable as the other end's input.
        Raw(_a.SlavePath);
        Raw(_b.SlavePath);
        Pump(_a, _b, "pty a->b");
        Pump(_b, _a, "pty b->a");
    }

    /// <summary>Gets the device path of end A.</summary>
    public string EndA => _a.SlavePath;

    /// <summary>Gets the device path of end B.</summary>
    public string EndB => _b.SlavePath;

    public void Dispose()
    {
        _stopped = true;
        _a.Dispose();
        _b.Dispose();
    }

    private static void Raw(string device)
    {
        using var stty = Process.Start(new ProcessStartInfo("stty", ["-F", device, "raw", "-echo"]) { RedirectStandardError = true })!;
        stty.WaitForExit();
        if (stty.ExitCode != 0)
        {
            throw new InvalidOperationException($"stty -F {device} raw -echo failed: {stty.StandardError.ReadToEnd()}");
        }
    }

    private void Pump(PseudoTerminal from, PseudoTerminal to, string name) => new Thread(() =>
    {
        var chunk = new byte[4096];
        while (!_stopped)
        {
            int n;
            try
            {
                n = from.Master.Read(chunk, 0, chunk.Length);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // EIO while no program holds this end: it may open it again.
                n = 0;
            }

            if (n <= 0)
            {
                Thread.Sleep(10);
                continue;
            }

            try
            {
                to.Send(chunk[..n]);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The other end's program has not opened it or closed it: the bytes are lost on the cable.
            }
        }
    })
    { IsBackground = true, Name = name }.Start();
}
