using System;
using System.IO;
using TimingMat.Core.Hardware;
using TimingMat.Core.Journal;
using TimingMat.Core.Outbox;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// The unit's line console (firmware/docs/console.md): a versioned, line-based protocol on a byte port — a TCP
    /// console on the unit's network, a UART, or <c>timingmat unit --console</c> on desktop — through which
    /// <c>timingmat provision</c>, <c>flash</c> and <c>selftest</c> (or a technician in a terminal) read and write the unit
    /// configuration, commit it, read the status and the clock, and run the self-test.
    /// </summary>
    /// <remarks>
    /// <para>Every command line gets zero or more data lines and then one final line, <c>OK …</c> or
    /// <c>ERR &lt;code&gt; &lt;message&gt;</c>; lines the unit sends on its own start with <c>* </c>. Changes are staged:
    /// <c>set</c> checks the key and value with the core's own <see cref="UnitConfig"/> and a rejected one changes
    /// nothing; <c>commit</c> validates the whole staged configuration, writes <c>unit.cfg</c> (<see cref="UnitConfigStore"/>)
    /// and restarts the unit on it. Until a valid commit the unit runs on the configuration it has. Secrets
    /// (<c>wifi.password</c>, <c>mqtt.password</c>, <c>command.key</c>) can be set and are only ever shown as
    /// <c>set</c>/<c>unset</c>; the console never echoes what it receives.</para>
    /// <para>Polled from the unit's loop (<see cref="MatUnit.ServeConsole"/>), or from the bring-up loop of a board that is
    /// not provisioned yet: one read of the port per poll when nothing arrives, a few lines handled at most, never a wait.
    /// The self-test runs as polled steps; lines that arrive meanwhile wait in the port.</para>
    /// </remarks>
    public sealed class UnitConsole
    {
        /// <summary>The protocol's version, in the hello line.</summary>
        public const int ProtocolVersion = 1;

        /// <summary>The first word of the hello line.</summary>
        public const string Banner = "TIMINGMAT-CONSOLE";

        /// <summary>The TCP port a board serves the console on over its network.</summary>
        public const int TcpPort = 2323;

        /// <summary>The longest command line, bytes (without its line end); a longer one is refused whole.</summary>
        public const int MaxLineBytes = 255;

        /// <summary>The longest value <c>set</c> takes.</summary>
        public const int MaxValueLength = 200;

        private const long Second = 1000000;
        private const long RebootDelayMicros = Second;
        private const long ReopenMicros = Second;
        private const int LinesPerPoll = 8;
        private const int ClockBytes = 512;

        private static readonly string[] s_help = new string[]
        {
            "hello                 protocol and firmware version, unit, configuration checksum",
            "get [KEY]             the staged configuration (what commit writes), or one key; secrets show set",
            "set KEY VALUE         stage one key; checked now, a refused value changes nothing",
            "unset KEY             remove one key from the staged configuration",
            "clear                 empty the staged configuration (then set every key)",
            "revert                drop staged changes: back to the committed configuration",
            "validate              check the staged configuration as commit would",
            "commit                validate, write unit.cfg and restart the unit on it",
            "show                  the running configuration with every default (secrets set/unset)",
            "status                the unit's status JSON (firmware/docs/wire-formats.md section 7)",
            "clock [SECONDS]       a clock report now, or one every SECONDS as '* clock' lines (0 stops)",
            "selftest              check every part: reader, GPS, fix, PPS, storage, uplink, LoRa, battery",
            "file put NAME BYTES CRC32 | data HEX | end | abort | check NAME",
            "                      put a CA certificate, keys.cfg or chips.cfg beside unit.cfg",
            "help                  this list",
        };

        private readonly IBytePort _port;
        private readonly UnitConfigStore _store;
        private readonly UnitFileTransfer _files;
        private readonly IMicrosecondClock _clock;
        private readonly IRebooter _rebooter;
        private readonly string _firmware;
        private readonly string[] _keys;
        private readonly string[] _staged;
        private readonly string[] _committed;
        private readonly byte[] _rx = new byte[64];
        private readonly byte[] _line = new byte[MaxLineBytes];
        private readonly char[] _chars = new char[MaxLineBytes];
        private readonly JsonWriter _clockJson = new JsonWriter(ClockBytes);
        private readonly byte[] _clockPrefix = UnitConfigStore.Ascii("* clock ");
        private readonly byte[] _newLine = new byte[] { (byte)'\n' };
        private int _rxStart;
        private int _rxCount;
        private int _lineLength;
        private bool _overlong;
        private MatUnit _unit;
        private UnitSelfTest _selfTest;
        private bool[] _reported;
        private long _clockEveryMicros;
        private long _nextClockMicros;
        private long _rebootAtMicros = -1;
        private long _nextOpenMicros;
        private string _storedProblem;

        /// <summary>Initializes a new instance of the <see cref="UnitConsole"/> class and reads the committed configuration.</summary>
        /// <param name="port">Where the console is served (opened by <see cref="Poll"/> when closed).</param>
        /// <param name="configStore">The storage holding <c>unit.cfg</c> (on a board, internal flash).</param>
        /// <param name="clock">The unit's µs counter.</param>
        /// <param name="rebooter">What restarts the unit after a commit when no <see cref="MatUnit"/> is running (a board not provisioned yet).</param>
        /// <param name="firmwareVersion">The firmware's version, in the hello line.</param>
        public UnitConsole(IBytePort port, IFileStore configStore, IMicrosecondClock clock, IRebooter rebooter, string firmwareVersion)
        {
            _port = port;
            _store = new UnitConfigStore(configStore);
            _files = new UnitFileTransfer(configStore);
            _clock = clock;
            _rebooter = rebooter;
            _firmware = firmwareVersion;
            _keys = UnitConfig.Keys;
            _staged = new string[_keys.Length];
            _committed = new string[_keys.Length];
            LoadCommitted();
        }

        /// <summary>Gets or sets the running unit the console reports on and self-tests, or <c>null</c> (not provisioned, or its configuration rejected).</summary>
        public MatUnit Unit
        {
            get
            {
                return _unit;
            }

            set
            {
                if (_selfTest != null && _selfTest.IsRunning)
                {
                    Error("restarted", "the unit restarted during the self-test: run it again");
                }

                // A unit built on the committed configuration is what the pending restart was for.
                if (value != null)
                {
                    _rebootAtMicros = -1;
                }

                _unit = value;
                _selfTest = value == null ? null : new UnitSelfTest(value);
                _reported = value == null ? null : new bool[_selfTest.Count];
            }
        }

        /// <summary>Gets the number of configurations committed through this console.</summary>
        public int Commits { get; private set; }

        /// <summary>Gets the number of command lines handled.</summary>
        public int Commands { get; private set; }

        /// <summary>Gets the last self-test, or <c>null</c> without a running unit.</summary>
        public UnitSelfTest SelfTest
        {
            get { return _selfTest; }
        }

        /// <summary>
        /// Gets the checksum the console reports for a configuration: CRC-32 of <see cref="UnitConfig.ToString"/> (every
        /// key with its value in effect, secrets as <c>set</c>/<c>unset</c>), as 8 lower-case hex digits. Secrets are left
        /// out on purpose: a CRC is linear, and one over a short password would give much of it away.
        /// </summary>
        /// <param name="config">The configuration.</param>
        /// <returns>E.g. <c>3fa2c01b</c>.</returns>
        public static string Checksum(UnitConfig config)
        {
            byte[] bytes = UnitConfigStore.Ascii(config.ToString());
            return UnitFileTransfer.Hex(Crc32.Compute(bytes, 0, bytes.Length));
        }

        /// <summary>Handles what arrived, sends clock reports and self-test lines when due; call from the unit's loop. Never waits.</summary>
        public void Poll()
        {
            long now = _clock.GetMicroseconds();
            if (_rebootAtMicros >= 0 && now >= _rebootAtMicros)
            {
                _rebootAtMicros = -1;
                _rebooter.Reboot();
                return;
            }

            if (!_port.IsOpen)
            {
                if (now < _nextOpenMicros)
                {
                    return;
                }

                _nextOpenMicros = now + ReopenMicros;
                try
                {
                    _port.Open();
                }
                catch (Exception)
                {
                    // Not there yet (no network, a TCP console not listening): tried again in a second.
                    return;
                }

                Send("* " + Hello());
            }

            if (_selfTest != null && _selfTest.IsRunning)
            {
                PollSelfTest(now);
                return;
            }

            if (_clockEveryMicros > 0 && now >= _nextClockMicros && _unit != null)
            {
                _nextClockMicros = now + _clockEveryMicros;
                SendClock(true);
            }

            int lines = 0;
            while (lines < LinesPerPoll)
            {
                if (_rxCount == 0)
                {
                    _rxStart = 0;
                    _rxCount = _port.Read(_rx, 0, _rx.Length);
                    if (_rxCount == 0)
                    {
                        return;
                    }
                }

                byte b = _rx[_rxStart];
                _rxStart++;
                _rxCount--;
                if (b == '\n')
                {
                    lines++;
                    EndLine(now);
                    if (_selfTest != null && _selfTest.IsRunning)
                    {
                        return;
                    }
                }
                else if (b != '\r')
                {
                    if (_lineLength < MaxLineBytes)
                    {
                        _line[_lineLength] = b;
                        _lineLength++;
                    }
                    else
                    {
                        _overlong = true;
                    }
                }
            }
        }

        private void EndLine(long now)
        {
            int length = _lineLength;
            bool overlong = _overlong;
            _lineLength = 0;
            _overlong = false;
            if (overlong)
            {
                Error("too-long", "a line holds at most " + MaxLineBytes.ToString() + " bytes");
                return;
            }

            for (int i = 0; i < length; i++)
            {
                _chars[i] = (char)_line[i];
            }

            string line = new string(_chars, 0, length).Trim();
            if (line.Length == 0)
            {
                return;
            }

            Commands++;
            Handle(line, now);
        }

        private void Handle(string line, long now)
        {
            int space = FirstBlank(line);
            string verb = (space < 0 ? line : line.Substring(0, space)).ToLower();
            string rest = space < 0 ? string.Empty : line.Substring(space + 1).Trim();
            if (verb == "hello")
            {
                Send(Hello());
                Ok(null);
            }
            else if (verb == "help")
            {
                for (int i = 0; i < s_help.Length; i++)
                {
                    Send(s_help[i]);
                }

                Ok(null);
            }
            else if (verb == "get")
            {
                Get(rest);
            }
            else if (verb == "set")
            {
                Set(rest);
            }
            else if (verb == "unset")
            {
                int index = KeyIndex(rest.ToLower());
                if (index < 0)
                {
                    UnknownKey(rest.ToLower());
                    return;
                }

                _staged[index] = null;
                Ok(null);
            }
            else if (verb == "clear")
            {
                for (int i = 0; i < _staged.Length; i++)
                {
                    _staged[i] = null;
                }

                Ok(null);
            }
            else if (verb == "revert")
            {
                Copy(_committed, _staged);
                Ok(null);
            }
            else if (verb == "validate")
            {
                UnitConfig config = ParseStaged();
                if (config != null)
                {
                    Ok("checksum=" + Checksum(config));
                }
            }
            else if (verb == "commit")
            {
                Commit(now);
            }
            else if (verb == "show")
            {
                if (NeedUnit())
                {
                    Send(_unit.Config.ToString());
                    Ok("checksum=" + Checksum(_unit.Config));
                }
            }
            else if (verb == "status")
            {
                if (NeedUnit())
                {
                    byte[] json = _unit.Status.Render(now, _unit.Uplink.IsOnline ? "online" : "offline");
                    Write(json);
                    Write(_newLine);
                    Ok(null);
                }
            }
            else if (verb == "clock")
            {
                Clock(rest, now);
            }
            else if (verb == "selftest")
            {
                if (NeedUnit())
                {
                    for (int i = 0; i < _reported.Length; i++)
                    {
                        _reported[i] = false;
                    }

                    _selfTest.Start(now);
                    PollSelfTest(now);
                }
            }
            else if (verb == "file")
            {
                FileCommand(rest);
            }
            else
            {
                Error("unknown-command", "'" + Shorten(verb) + "' is not a command: send help for the list");
            }
        }

        private void FileCommand(string rest)
        {
            int space = FirstBlank(rest);
            string action = (space < 0 ? rest : rest.Substring(0, space)).ToLower();
            string args = space < 0 ? string.Empty : rest.Substring(space + 1).Trim();
            if (action == "data")
            {
                Send(_files.Data(args));
            }
            else if (action == "put")
            {
                string[] parts = args.Split(' ');
                int size;
                uint crc;
                if (parts.Length != 3 || !int.TryParse(parts[1], out size) || parts[2].Length != 8 || !TryHex(parts[2], out crc))
                {
                    Error("usage", "file put NAME BYTES CRC32 (the CRC-32 as 8 hex digits)");
                    return;
                }

                Send(_files.Put(parts[0], size, crc));
            }
            else if (action == "end")
            {
                Send(_files.End());
            }
            else if (action == "abort")
            {
                Send(_files.Abort());
            }
            else if (action == "check")
            {
                Send(_files.Check(args));
            }
            else
            {
                Error("usage", "file put NAME BYTES CRC32 | file data HEX | file end | file abort | file check NAME");
            }
        }

        private static bool TryHex(string text, out uint value)
        {
            value = 0;
            for (int i = 0; i < text.Length; i++)
            {
                int digit = ValueText.HexDigit(text[i]);
                if (digit < 0)
                {
                    return false;
                }

                value = (value << 4) | (uint)digit;
            }

            return true;
        }

        private void Get(string key)
        {
            if (key.Length == 0)
            {
                for (int i = 0; i < _keys.Length; i++)
                {
                    if (_staged[i] != null)
                    {
                        Send(_keys[i] + " = " + Shown(i, _staged[i]));
                    }
                }

                Ok(null);
                return;
            }

            int index = KeyIndex(key.ToLower());
            if (index < 0)
            {
                UnknownKey(key.ToLower());
                return;
            }

            if (_staged[index] == null)
            {
                Ok("not-set");
                return;
            }

            Send(_keys[index] + " = " + Shown(index, _staged[index]));
            Ok(null);
        }

        private void Set(string rest)
        {
            // "set KEY VALUE", and "set KEY = VALUE" as the file writes it.
            int blank = FirstBlank(rest);
            int equals = rest.IndexOf('=');
            int cut = blank < 0 || (equals >= 0 && equals < blank) ? equals : blank;
            if (cut <= 0)
            {
                Error("usage", "set KEY VALUE");
                return;
            }

            string key = rest.Substring(0, cut).Trim().ToLower();
            string value = rest.Substring(cut + 1).Trim();
            if (value.StartsWith("="))
            {
                value = value.Substring(1).Trim();
            }

            int index = KeyIndex(key);
            if (index < 0)
            {
                UnknownKey(key);
                return;
            }

            if (value.Length == 0)
            {
                Error("invalid-value", key + " has no value: expected one (unset removes a key)");
                return;
            }

            string problem = FileProblem(value);
            if (problem != null)
            {
                Error("invalid-value", key + " = " + Shown(index, value) + ": " + problem);
                return;
            }

            try
            {
                // The core's own parser decides, with the same message a file would get; nothing is staged on error.
                UnitConfig scratch = new UnitConfig();
                scratch.Set(key, value);
            }
            catch (ConfigFileException e)
            {
                Error("invalid-value", e.Problem);
                return;
            }

            _staged[index] = value;
            Ok(null);
        }

        private void Commit(long now)
        {
            UnitConfig config = ParseStaged();
            if (config == null)
            {
                return;
            }

            string text = Render(_staged);
            if (Same(_staged, _committed) && _storedProblem == null)
            {
                Ok("checksum=" + Checksum(config) + " unchanged");
                return;
            }

            try
            {
                _store.Write(text);
            }
            catch (IOException)
            {
                Error("storage", "unit.cfg cannot be written (the storage is full or failing): the unit keeps its configuration");
                return;
            }

            Copy(_staged, _committed);
            _storedProblem = null;
            Commits++;
            Ok("checksum=" + Checksum(config) + " restarting");
            if (_unit != null)
            {
                // The unit commits its passings and reboots a second from now, as for a reboot command.
                _unit.RequestReboot(BootReason.Command);
            }
            else
            {
                _rebootAtMicros = now + RebootDelayMicros;
            }
        }

        private void Clock(string rest, long now)
        {
            if (!NeedUnit())
            {
                return;
            }

            if (rest.Length == 0)
            {
                SendClock(false);
                Ok(null);
                return;
            }

            long seconds;
            if (!ValueText.TryParseLong(rest, out seconds) || seconds < 0 || seconds > 3600)
            {
                Error("invalid-value", "clock '" + Shorten(rest) + "': expected the report interval, 0-3600 s (0 stops)");
                return;
            }

            _clockEveryMicros = seconds * Second;
            _nextClockMicros = now + _clockEveryMicros;
            Ok("clock every " + seconds.ToString() + " s");
        }

        private void PollSelfTest(long now)
        {
            bool done = _selfTest.Poll(now);
            for (int i = 0; i < _selfTest.Count; i++)
            {
                int result = _selfTest.Result(i);
                if (result != UnitSelfTest.Pending && !_reported[i])
                {
                    _reported[i] = true;
                    Send("test " + _selfTest.Name(i) + " " + UnitSelfTest.ResultName(result) + " " + _selfTest.Reason(i));
                }
            }

            if (done)
            {
                Ok("selftest " + (_selfTest.FailedCount == 0 ? "pass" : "fail") + " passed=" + _selfTest.PassedCount.ToString()
                    + " failed=" + _selfTest.FailedCount.ToString() + " skipped=" + _selfTest.SkippedCount.ToString());
            }
        }

        private void SendClock(bool unsolicited)
        {
            JsonWriter w = _clockJson;
            w.Clear();
            _unit.Status.WriteClock(w);
            if (w.Overflow)
            {
                return;
            }

            if (unsolicited)
            {
                Write(_clockPrefix);
            }

            WriteBytes(w.Buffer, w.Length);
            Write(_newLine);
        }

        private UnitConfig ParseStaged()
        {
            try
            {
                return UnitConfig.Parse(Render(_staged));
            }
            catch (ConfigFileException e)
            {
                Error("invalid-config", e.Problem + " (the unit keeps its configuration)");
                return null;
            }
        }

        private bool NeedUnit()
        {
            if (_unit != null)
            {
                return true;
            }

            Error("not-provisioned", _storedProblem == null
                ? "the unit has no configuration yet: set its keys and commit"
                : "unit.cfg is not valid (" + _storedProblem + "): set, validate and commit a good one");
            return false;
        }

        private string Hello()
        {
            string unit = "none";
            string checksum = "none";
            string provisioned = "no";
            if (_unit != null)
            {
                unit = _unit.Config.Unit.ToString();
                checksum = Checksum(_unit.Config);
                provisioned = "yes";
            }
            else if (_storedProblem != null)
            {
                provisioned = "invalid";
            }

            return Banner + " " + ProtocolVersion.ToString() + " firmware=" + _firmware + " unit=" + unit + " provisioned=" + provisioned
                + " config=" + checksum + " staged=" + (Same(_staged, _committed) ? "clean" : "changed");
        }

        private void LoadCommitted()
        {
            string text = _store.Read();
            if (text == null)
            {
                return;
            }

            try
            {
                KeyValueReader reader = new KeyValueReader(text);
                while (reader.Next())
                {
                    int index = KeyIndex(reader.Key);
                    if (index >= 0)
                    {
                        _committed[index] = reader.Value;
                    }
                }

                UnitConfig.Parse(text);
            }
            catch (ConfigFileException e)
            {
                _storedProblem = (e.Line > 0 ? "line " + e.Line.ToString() + ": " : string.Empty) + e.Problem;
            }

            Copy(_committed, _staged);
        }

        private string Render(string[] values)
        {
            string text = string.Empty;
            for (int i = 0; i < _keys.Length; i++)
            {
                if (values[i] != null)
                {
                    text += _keys[i] + " = " + values[i] + "\n";
                }
            }

            return text;
        }

        private int KeyIndex(string key)
        {
            for (int i = 0; i < _keys.Length; i++)
            {
                if (_keys[i] == key)
                {
                    return i;
                }
            }

            return -1;
        }

        private void UnknownKey(string key)
        {
            try
            {
                new UnitConfig().Set(key, "x");
                Error("unknown-key", "unknown key '" + Shorten(key) + "'");
            }
            catch (ConfigFileException e)
            {
                Error("unknown-key", e.Problem);
            }
        }

        private string Shown(int index, string value)
        {
            if (UnitConfig.IsSecret(_keys[index]))
            {
                return "set";
            }

            return value;
        }

        // What the key = value file cannot hold: it would read back as something else.
        private static string FileProblem(string value)
        {
            if (value.Length > MaxValueLength)
            {
                return "longer than " + MaxValueLength.ToString() + " characters";
            }

            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c < ' ' || c == (char)127)
                {
                    return "holds a control character";
                }

                if (c == '#' && i > 0 && (value[i - 1] == ' ' || value[i - 1] == '\t'))
                {
                    return "holds ' #', which unit.cfg would read as the start of a comment";
                }
            }

            return null;
        }

        private static int FirstBlank(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == ' ' || text[i] == '\t')
                {
                    return i;
                }
            }

            return -1;
        }

        private static string Shorten(string text)
        {
            return text.Length <= 40 ? text : text.Substring(0, 40) + "...";
        }

        private static bool Same(string[] a, string[] b)
        {
            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static void Copy(string[] from, string[] to)
        {
            for (int i = 0; i < from.Length; i++)
            {
                to[i] = from[i];
            }
        }

        private void Ok(string detail)
        {
            Send(detail == null ? "OK" : "OK " + detail);
        }

        private void Error(string code, string message)
        {
            Send("ERR " + code + " " + message);
        }

        private void Send(string line)
        {
            byte[] bytes = UnitConfigStore.Ascii(line.EndsWith("\n") ? line : line + "\n");
            Write(bytes);
        }

        private void Write(byte[] bytes)
        {
            if (bytes != null)
            {
                WriteBytes(bytes, bytes.Length);
            }
        }

        private void WriteBytes(byte[] bytes, int count)
        {
            try
            {
                _port.Write(bytes, 0, count);
            }
            catch (Exception)
            {
                // The peer went away (a TCP client closed); the next Poll reopens or waits for the next one.
            }
        }
    }
}
