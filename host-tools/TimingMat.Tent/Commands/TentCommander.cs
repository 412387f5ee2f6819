using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using TimingMat.Core.Hardware;
using TimingMat.Core.Outbox;
using TimingMat.Core.Unit;
using TimingMat.Host.Crypto;
using TimingMat.Mqtt;

namespace TimingMat.Tent.Commands;

/// <summary>
/// Sends signed commands from the tent and waits for each unit's answer: the command text is signed with the core's
/// own <see cref="SignedCommand.Sign"/> and the unit's key, its counter is the host's UTC in milliseconds (above the
/// last one this process used, so two commands in one millisecond still count up), and the answer is the reply on
/// <c>&lt;prefix&gt;/&lt;unit&gt;/reply</c> carrying the same counter.
/// </summary>
/// <remarks>
/// One MQTT session with a clean session and a client id of its own, so several laptops can command at once. The
/// counter needs no stored state: a unit takes any counter above the last it accepted, and the clock moves on.
/// </remarks>
public sealed class TentCommander : IDisposable
{
    /// <summary>The tag length the tent sends, bytes (16 hex digits, wire-formats §6).</summary>
    public const int TagBytes = 8;

    private static long s_lastCounter;

    private readonly string _prefix;
    private readonly Func<long> _utcMicros;
    private readonly ConcurrentDictionary<(int Unit, long Counter), Pending> _pending = new();

    private TentCommander(string prefix, Func<long> utcMicros)
    {
        _prefix = prefix;
        _utcMicros = utcMicros;
    }

    /// <summary>Gets the tent's MQTT link.</summary>
    public MqttLink Link { get; private set; } = null!;

    /// <summary>Gets the host's UTC now in µs since 1970, as the commander stamps exchanges.</summary>
    public long UtcMicros => _utcMicros();

    /// <summary>Connects to the broker and subscribes to every unit's replies.</summary>
    /// <param name="broker">The broker.</param>
    /// <param name="prefix">The units' topic prefix.</param>
    /// <param name="username">Broker user name (the tent's), or null.</param>
    /// <param name="password">Broker password, or null.</param>
    /// <param name="configure">TLS trust and timeouts.</param>
    /// <param name="utcMicros">The host's UTC clock in µs (tests give another); the system clock when null.</param>
    /// <returns>The connected commander.</returns>
    /// <exception cref="TentConnectException">The broker cannot be reached, refused the tent, or refused its subscription.</exception>
    public static TentCommander Connect(MqttBrokerAddress broker, string prefix, string? username, string? password, Action<MqttLinkOptions>? configure = null, Func<long>? utcMicros = null)
    {
        var commander = new TentCommander(prefix, utcMicros ?? SystemUtcMicros);
        commander.Link = TentSession.Open(broker, username, password, configure, UplinkTopics.AllUnits(prefix, UplinkTopics.RepliesLevel), commander.OnMessage);
        return commander;
    }

    /// <summary>Gets the system's UTC in µs since 1970.</summary>
    /// <returns>µs.</returns>
    public static long SystemUtcMicros() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;

    /// <summary>Takes the next counter: the host's UTC ms, above every counter this process used.</summary>
    /// <param name="utcMicros">The host's UTC now, µs.</param>
    /// <returns>The counter.</returns>
    public static long NextCounter(long utcMicros)
    {
        var wanted = utcMicros / 1000;
        while (true)
        {
            var last = Interlocked.Read(ref s_lastCounter);
            var next = Math.Max(wanted, last + 1);
            if (Interlocked.CompareExchange(ref s_lastCounter, next, last) == last)
            {
                return next;
            }
        }
    }

    /// <summary>Signs a command for a unit.</summary>
    /// <param name="unit">Unit id.</param>
    /// <param name="counter">The counter.</param>
    /// <param name="command">Verb and arguments, e.g. <c>mode timing</c>.</param>
    /// <param name="key">The unit's command key.</param>
    /// <returns>The signed command line.</returns>
    public static string Sign(int unit, long counter, string command, byte[] key) =>
        SignedCommand.Sign(string.Create(CultureInfo.InvariantCulture, $"{SignedCommand.Format} {unit} {counter} {command}"), key, DesktopHmacSha256.Instance, TagBytes);

    /// <summary>Sends a signed command and waits for the unit's answer.</summary>
    /// <param name="unit">Unit id.</param>
    /// <param name="key">The unit's command key.</param>
    /// <param name="command">Verb and arguments, e.g. <c>cutoff 2026-10-04T09:30:00Z</c>; for <c>clock</c> the tent's send time is added.</param>
    /// <param name="timeout">How long to wait for the answer.</param>
    /// <returns>The answer, or <c>null</c> when none came in time.</returns>
    public CommandReply? Send(int unit, byte[] key, string command, TimeSpan timeout)
    {
        var clock = command.Trim().Equals("clock", StringComparison.OrdinalIgnoreCase);
        var sent = _utcMicros();
        var counter = NextCounter(sent);
        var text = clock ? string.Create(CultureInfo.InvariantCulture, $"clock {sent}") : command.Trim();
        return SendSigned(unit, counter, Sign(unit, counter, text, key), sent, timeout);
    }

    /// <summary>Publishes a command line as given (signed elsewhere, or not at all) and waits for the answer with its counter.</summary>
    /// <param name="unit">Unit id.</param>
    /// <param name="counter">The counter the answer carries (null for an unsigned line: the answer's counter is null).</param>
    /// <param name="line">The command line.</param>
    /// <param name="hostSent">The tent's send time, UTC µs.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The answer, or <c>null</c>.</returns>
    public CommandReply? SendSigned(int unit, long? counter, string line, long hostSent, TimeSpan timeout)
    {
        var pending = new Pending(hostSent);
        var slot = (unit, counter ?? -1);
        _pending[slot] = pending;
        try
        {
            if (Link.Publish(new UplinkTopics(_prefix, unit).Commands, Encoding.ASCII.GetBytes(line), 1, false) < 0)
            {
                return null;
            }

            return pending.Reply.Task.Wait(timeout) ? pending.Reply.Task.Result : null;
        }
        finally
        {
            _pending.TryRemove(slot, out _);
        }
    }

    /// <inheritdoc />
    public void Dispose() => Link.Dispose();

    private void OnMessage(MqttMessage message)
    {
        var received = _utcMicros();
        var unit = UplinkTopics.ParseUnit(message.Topic, _prefix, UplinkTopics.RepliesLevel);
        if (unit < 0)
        {
            return;
        }

        // Peek at the counter first: only a reply someone waits for is worth parsing in full.
        var preview = CommandReply.Parse(message.Payload, 0, received);
        if (preview == null || !_pending.TryGetValue((unit, preview.Counter ?? -1), out var pending))
        {
            return;
        }

        pending.Reply.TrySetResult(CommandReply.Parse(message.Payload, pending.HostSent, received)!);
    }

    private sealed class Pending(long hostSent)
    {
        public long HostSent { get; } = hostSent;

        public TaskCompletionSource<CommandReply> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
