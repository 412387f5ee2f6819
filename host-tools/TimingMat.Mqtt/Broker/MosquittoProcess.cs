using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace TimingMat.Mqtt.Broker;

/// <summary>
/// A Mosquitto broker run as a child process on a loopback port with its own configuration and data folder: the
/// timing tent laptop's broker, and the real broker the tests kill and restart.
/// </summary>
/// <remarks>
/// The binary is <c>$TIMINGMAT_MOSQUITTO</c>, else <c>mosquitto</c> on the PATH, else <c>/usr/sbin/mosquitto</c>
/// (where Debian puts it). <see cref="Kill"/> is a crash (SIGKILL: queued messages since the last autosave are
/// lost); <see cref="Stop"/> is an orderly shutdown (the persistence file is written). Restarting keeps the port and
/// the data folder.
/// </remarks>
public sealed class MosquittoProcess : IDisposable
{
    private const int SigTerm = 15;

    private readonly string _binary;
    private readonly bool _ownsDirectory;
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <summary>Initializes a new instance of the <see cref="MosquittoProcess"/> class; <see cref="Start"/> runs it.</summary>
    /// <param name="settings">Broker settings; defaults when <c>null</c>.</param>
    /// <param name="dataDirectory">Folder for the configuration, persistence and log; a new temporary one when <c>null</c>.</param>
    /// <exception cref="FileNotFoundException">Mosquitto is not installed.</exception>
    public MosquittoProcess(MosquittoSettings? settings = null, string? dataDirectory = null)
    {
        _binary = FindBinary() ?? throw new FileNotFoundException("mosquitto is not installed (sudo apt-get install mosquitto), or set TIMINGMAT_MOSQUITTO to its path");
        Settings = settings ?? new MosquittoSettings();
        _ownsDirectory = dataDirectory == null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("tm-mosquitto-").FullName;
        Port = Settings.Port ?? FreeLoopbackPort();
    }

    /// <summary>Gets the settings.</summary>
    public MosquittoSettings Settings { get; }

    /// <summary>Gets the folder holding the configuration, persistence database and log.</summary>
    public string DataDirectory { get; }

    /// <summary>Gets the TCP port on 127.0.0.1 (a new free one when another process took the chosen one first).</summary>
    public int Port { get; private set; }

    private bool _started;

    /// <summary>Gets the broker's address.</summary>
    public MqttBrokerAddress Address => new("127.0.0.1", Port, Settings.TlsCertificateFile != null);

    /// <summary>Gets a value indicating whether the process runs.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Gets the broker's log so far.</summary>
    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : string.Empty;

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private string LogPath => Path.Combine(DataDirectory, "mosquitto.log");

    /// <summary>Finds the Mosquitto binary.</summary>
    /// <returns>Its path, or <c>null</c> when it is not installed.</returns>
    public static string? FindBinary()
    {
        var configured = Environment.GetEnvironmentVariable("TIMINGMAT_MOSQUITTO");
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
        {
            return configured;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/sbin").Append("/usr/local/sbin"))
        {
            var candidate = Path.Combine(dir, "mosquitto");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Gets a TCP port on 127.0.0.1 that is free now.</summary>
    /// <returns>The port.</returns>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Writes a Mosquitto 2 password file line as <c>mosquitto_passwd</c> does: <c>user:$7$101$salt$hash</c>,
    /// PBKDF2-HMAC-SHA512 with 101 iterations over a 12-byte random salt, a 64-byte hash, both in base64.
    /// </summary>
    /// <param name="username">User name.</param>
    /// <param name="password">Password.</param>
    /// <param name="salt">12 bytes of salt; random when null.</param>
    /// <returns>The line.</returns>
    public static string PasswordLine(string username, string password, byte[]? salt = null)
    {
        const int iterations = 101;
        salt ??= RandomNumberGenerator.GetBytes(12);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, 64);
        return $"{username}:$7${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Starts the broker and waits until it accepts connections.</summary>
    /// <remarks>
    /// A free port is only free when it is chosen: another broker (a test beside this one) may bind it first, and a
    /// probe would then reach that broker. So the broker counts as started only when its own log says it runs; when
    /// it lost its port, a port chosen here is chosen again.
    /// </remarks>
    /// <exception cref="InvalidOperationException">It did not start within 10 s; the message holds its log.</exception>
    public void Start()
    {
        if (IsRunning)
        {
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            if (TryStart())
            {
                _started = true;
                return;
            }

            // A restart keeps its port (its clients reconnect there); only a first start may move.
            var lostPort = (Log + Output).Contains("Address already in use", StringComparison.Ordinal);
            if (!lostPort || Settings.Port != null || _started || attempt == 5)
            {
                throw new InvalidOperationException($"mosquitto did not start on port {Port}:\n{Log}{Output}");
            }

            Port = FreeLoopbackPort();
        }
    }

    private bool TryStart()
    {
        var config = Path.Combine(DataDirectory, "mosquitto.conf");
        File.WriteAllText(config, Configuration());
        File.Delete(LogPath);
        _process = Process.Start(new ProcessStartInfo(_binary)
        {
            ArgumentList = { "-c", config },
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _output.Clear();
        _process.OutputDataReceived += (_, e) => Note(e.Data);
        _process.ErrorDataReceived += (_, e) => Note(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                return false;
            }

            // "running" comes once its listeners are open; a broker that could not bind its port exits instead.
            if (Log.Contains(" running", StringComparison.Ordinal))
            {
                try
                {
                    using var probe = new TcpClient();
                    probe.Connect(IPAddress.Loopback, Port);
                    return true;
                }
                catch (SocketException)
                {
                    // Not accepting yet.
                }
            }

            Thread.Sleep(20);
        }

        return false;
    }

    /// <summary>Crashes the broker (SIGKILL) and waits for it to be gone.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    /// <summary>Stops the broker in order (SIGTERM): it writes its persistence file first.</summary>
    public void Stop()
    {
        if (_process is not { HasExited: false })
        {
            return;
        }

        if (SendSignal(_process.Id, SigTerm) != 0 || !_process.WaitForExit(10_000))
        {
            Kill();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        if (_ownsDirectory)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open: the temporary folder stays.
            }
        }
    }

    private void Note(string? line)
    {
        if (line != null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private string Configuration()
    {
        var text = new StringBuilder();

        // Started as root, Mosquitto drops to the 'mosquitto' user, which cannot read our private folder: stay us.
        text.AppendLine(CultureInfo.InvariantCulture, $"user {Environment.UserName}");
        text.AppendLine(CultureInfo.InvariantCulture, $"listener {Port} 127.0.0.1");

        // Mosquitto leaves Nagle on by default: every small QoS 1 packet (a batch, its PUBACK, the collector's ack) then
        // waits for the previous segment's ACK, several ms a hop. Passings are small and latency-bound, so turn it off.
        text.AppendLine("set_tcp_nodelay true");
        if (Settings.TlsCertificateFile != null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"certfile {Settings.TlsCertificateFile}");
            text.AppendLine(CultureInfo.InvariantCulture, $"keyfile {Settings.TlsKeyFile}");
        }

        if (Settings.PasswordFile != null)
        {
            text.AppendLine("allow_anonymous false");
            text.AppendLine(CultureInfo.InvariantCulture, $"password_file {Settings.PasswordFile}");
        }
        else if (Settings.Users.Count > 0)
        {
            var passwords = Path.Combine(DataDirectory, "passwords");
            File.WriteAllLines(passwords, Settings.Users.Select(u => PasswordLine(u.Key, u.Value)));
            text.AppendLine("allow_anonymous false");
            text.AppendLine(CultureInfo.InvariantCulture, $"password_file {passwords}");
        }
        else
        {
            text.AppendLine("allow_anonymous true");
        }

        if (Settings.AclFile != null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"acl_file {Settings.AclFile}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"persistence {(Settings.Persistence ? "true" : "false")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"persistence_location {DataDirectory}/");
        text.AppendLine(CultureInfo.InvariantCulture, $"autosave_interval {Settings.AutosaveIntervalSeconds}");
        text.AppendLine(CultureInfo.InvariantCulture, $"max_queued_messages {Settings.MaxQueuedMessages}");
        text.AppendLine(CultureInfo.InvariantCulture, $"log_dest file {LogPath}");
        text.AppendLine("log_type error");
        text.AppendLine("log_type warning");
        text.AppendLine("log_type notice");
        text.AppendLine("log_type information");
        text.AppendLine("connection_messages true");
        return text.ToString();
    }
}
