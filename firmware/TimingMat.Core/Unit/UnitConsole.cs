using System;
using TimingMat.Core.Common;
using TimingMat.Core.Hardware;
using TimingMat.Core.Journal;

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
        private const long ReopenMicros = Second;
        private const int LinesPerPoll = 8;

        private readonly IBytePort _port;
        private readonly ConsoleVerbs _verbs;
        private readonly IMicrosecondClock _clock;
        private readonly IRebooter _rebooter;
        private readonly byte[] _rx = new byte[64];
        private readonly byte[] _line = new byte[MaxLineBytes];
        private readonly char[] _chars = new char[MaxLineBytes];
        private int _rxStart;
        private int _rxCount;
        private int _lineLength;
        private bool _overlong;
        private long _nextOpenMicros;

        /// <summary>When a unit not running yet restarts after a commit, local µs, or -1.</summary>
        internal long RebootAtMicros = -1;

        /// <summary>Initializes a new instance of the <see cref="UnitConsole"/> class and reads the committed configuration.</summary>
        /// <param name="port">Where the console is served (opened by <see cref="Poll"/> when closed).</param>
        /// <param name="configStore">The storage holding <c>unit.cfg</c> (on a board, internal flash).</param>
        /// <param name="clock">The unit's µs counter.</param>
        /// <param name="rebooter">What restarts the unit after a commit when no <see cref="MatUnit"/> is running (a board not provisioned yet).</param>
        /// <param name="firmwareVersion">The firmware's version, in the hello line.</param>
        public UnitConsole(IBytePort port, IFileStore configStore, IMicrosecondClock clock, IRebooter rebooter, string firmwareVersion)
        {
            _port = port;
            _clock = clock;
            _rebooter = rebooter;
            _verbs = new ConsoleVerbs(this, configStore, firmwareVersion);
        }

        /// <summary>Gets or sets the running unit the console reports on and self-tests, or <c>null</c> (not provisioned, or its configuration rejected).</summary>
        public MatUnit Unit
        {
            get
            {
                return _verbs.Unit;
            }

            set
            {
                ConsoleVerbs verbs = _verbs;
                if (verbs.SelfTest != null && verbs.SelfTest.IsRunning)
                {
                    Error("restarted", "the unit restarted during the self-test: run it again");
                }

                // A unit built on the committed configuration is what the pending restart was for.
                if (value != null)
                {
                    RebootAtMicros = -1;
                }

                verbs.Unit = value;
                verbs.SelfTest = value == null ? null : new UnitSelfTest(value);
                verbs.Reported = value == null ? null : new bool[verbs.SelfTest.Count];
            }
        }

        /// <summary>Gets the number of configurations committed through this console.</summary>
        public int Commits { get; internal set; }

        /// <summary>Gets the number of command lines handled.</summary>
        public int Commands { get; private set; }

        /// <summary>Gets the last self-test, or <c>null</c> without a running unit.</summary>
        public UnitSelfTest SelfTest
        {
            get { return _verbs.SelfTest; }
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
            if (RebootAtMicros >= 0 && now >= RebootAtMicros)
            {
                RebootAtMicros = -1;
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

                Send("* " + _verbs.Hello());
            }

            // The verbs' state is read field by field: this runs every loop of the unit.
            ConsoleVerbs verbs = _verbs;
            if (verbs.SelfTest != null && verbs.SelfTest.IsRunning)
            {
                verbs.PollSelfTest(now);
                return;
            }

            if (verbs.ClockEveryMicros > 0 && now >= verbs.NextClockMicros && verbs.Unit != null)
            {
                verbs.NextClockMicros = now + verbs.ClockEveryMicros;
                verbs.SendClock(true);
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
                    if (verbs.SelfTest != null && verbs.SelfTest.IsRunning)
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
            _verbs.Handle(line, now);
        }

        /// <summary>Finds the first space or tab, where a verb or a key ends.</summary>
        /// <param name="text">The line or the rest of it.</param>
        /// <returns>Its index, or -1.</returns>
        internal static int FirstBlank(string text)
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

        /// <summary>Shortens what a line echoes back in an error to 40 characters.</summary>
        /// <param name="text">What was received.</param>
        /// <returns>The text, cut with <c>...</c> when longer.</returns>
        internal static string Shorten(string text)
        {
            return text.Length <= 40 ? text : text.Substring(0, 40) + "...";
        }

        /// <summary>Sends the final line of a command that succeeded.</summary>
        /// <param name="detail">What follows <c>OK</c>, or <c>null</c>.</param>
        internal void Ok(string detail)
        {
            Send(detail == null ? "OK" : "OK " + detail);
        }

        /// <summary>Sends the final line of a command that failed.</summary>
        /// <param name="code">The error's code, e.g. <c>invalid-value</c>.</param>
        /// <param name="message">What went wrong and what to do.</param>
        internal void Error(string code, string message)
        {
            Send("ERR " + code + " " + message);
        }

        /// <summary>Sends one line (its line end added when missing).</summary>
        /// <param name="line">The line.</param>
        internal void Send(string line)
        {
            byte[] bytes = UnitConfigStore.Ascii(line.EndsWith("\n") ? line : line + "\n");
            Write(bytes);
        }

        /// <summary>Sends bytes as they are (a status JSON, a line end).</summary>
        /// <param name="bytes">The bytes, or <c>null</c> for none.</param>
        internal void Write(byte[] bytes)
        {
            if (bytes != null)
            {
                WriteBytes(bytes, bytes.Length);
            }
        }

        /// <summary>Sends the first bytes of a buffer; a peer that went away is not an error.</summary>
        /// <param name="bytes">The buffer.</param>
        /// <param name="count">How many bytes.</param>
        internal void WriteBytes(byte[] bytes, int count)
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
