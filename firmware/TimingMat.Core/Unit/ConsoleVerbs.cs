using TimingMat.Core.Common;
using TimingMat.Core.Hardware;
using TimingMat.Core.Outbox;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// The console's verbs (firmware/docs/console.md): what each command line does and answers. The configuration
    /// verbs are <see cref="StagedConfig"/>'s, <c>file</c> is <see cref="UnitFileTransfer"/>'s; the running unit's
    /// (<c>show</c>, <c>status</c>, <c>clock</c>, <c>selftest</c>) are here, with the state the console's poll reads
    /// directly: the unit, its self-test and the clock reports' schedule.
    /// </summary>
    internal sealed class ConsoleVerbs
    {
        private const long Second = 1000000;
        private const long RebootDelayMicros = Second;
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

        /// <summary>The running unit, or <c>null</c>.</summary>
        internal MatUnit Unit;

        /// <summary>The running unit's self-test, or <c>null</c>.</summary>
        internal UnitSelfTest SelfTest;

        /// <summary>Which of the self-test's parts have been reported in this run.</summary>
        internal bool[] Reported;

        /// <summary>How often a <c>* clock</c> line is sent, µs, or 0 for none.</summary>
        internal long ClockEveryMicros;

        /// <summary>When the next <c>* clock</c> line is due, local µs.</summary>
        internal long NextClockMicros;

        private readonly UnitConsole _console;
        private readonly StagedConfig _config;
        private readonly UnitFileTransfer _files;
        private readonly string _firmware;
        private readonly JsonWriter _clockJson = new JsonWriter(ClockBytes);
        private readonly byte[] _clockPrefix = UnitConfigStore.Ascii("* clock ");
        private readonly byte[] _newLine = new byte[] { (byte)'\n' };

        /// <summary>Initializes a new instance of the <see cref="ConsoleVerbs"/> class and reads the committed configuration.</summary>
        /// <param name="console">Where the verbs answer.</param>
        /// <param name="configStore">The storage holding <c>unit.cfg</c>.</param>
        /// <param name="firmwareVersion">The firmware's version, in the hello line.</param>
        internal ConsoleVerbs(UnitConsole console, IFileStore configStore, string firmwareVersion)
        {
            _console = console;
            _config = new StagedConfig(console, new UnitConfigStore(configStore));
            _files = new UnitFileTransfer(configStore);
            _firmware = firmwareVersion;
        }

        /// <summary>Answers one command line.</summary>
        /// <param name="line">The line, trimmed, not empty.</param>
        /// <param name="now">Local µs now.</param>
        internal void Handle(string line, long now)
        {
            int space = UnitConsole.FirstBlank(line);
            string verb = (space < 0 ? line : line.Substring(0, space)).ToLower();
            string rest = space < 0 ? string.Empty : line.Substring(space + 1).Trim();
            if (verb == "hello")
            {
                _console.Send(Hello());
                _console.Ok(null);
            }
            else if (verb == "help")
            {
                for (int i = 0; i < s_help.Length; i++)
                {
                    _console.Send(s_help[i]);
                }

                _console.Ok(null);
            }
            else if (verb == "get")
            {
                _config.Get(rest);
            }
            else if (verb == "set")
            {
                _config.Set(rest);
            }
            else if (verb == "unset")
            {
                _config.Unset(rest.ToLower());
            }
            else if (verb == "clear")
            {
                _config.Clear();
            }
            else if (verb == "revert")
            {
                _config.Revert();
            }
            else if (verb == "validate")
            {
                _config.Validate();
            }
            else if (verb == "commit")
            {
                Commit(now);
            }
            else if (verb == "show")
            {
                if (NeedUnit())
                {
                    _console.Send(Unit.Config.ToString());
                    _console.Ok("checksum=" + UnitConsole.Checksum(Unit.Config));
                }
            }
            else if (verb == "status")
            {
                if (NeedUnit())
                {
                    byte[] json = Unit.Status.Render(now, Unit.Uplink.IsOnline ? "online" : "offline");
                    _console.Write(json);
                    _console.Write(_newLine);
                    _console.Ok(null);
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
                    for (int i = 0; i < Reported.Length; i++)
                    {
                        Reported[i] = false;
                    }

                    SelfTest.Start(now);
                    PollSelfTest(now);
                }
            }
            else if (verb == "file")
            {
                _console.Send(_files.Command(rest));
            }
            else
            {
                _console.Error("unknown-command", "'" + UnitConsole.Shorten(verb) + "' is not a command: send help for the list");
            }
        }

        private void Commit(long now)
        {
            string checksum = _config.Commit();
            if (checksum == null)
            {
                return;
            }

            _console.Commits++;
            _console.Ok("checksum=" + checksum + " restarting");
            if (Unit != null)
            {
                // The unit commits its passings and reboots a second from now, as for a reboot command.
                Unit.RequestReboot(BootReason.Command);
            }
            else
            {
                _console.RebootAtMicros = now + RebootDelayMicros;
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
                _console.Ok(null);
                return;
            }

            long seconds;
            if (!ValueText.TryParseLong(rest, out seconds) || seconds < 0 || seconds > 3600)
            {
                _console.Error("invalid-value", "clock '" + UnitConsole.Shorten(rest) + "': expected the report interval, 0-3600 s (0 stops)");
                return;
            }

            ClockEveryMicros = seconds * Second;
            NextClockMicros = now + ClockEveryMicros;
            _console.Ok("clock every " + seconds.ToString() + " s");
        }

        /// <summary>Runs the self-test's next steps and reports each part as it is decided, then the result.</summary>
        /// <param name="now">Local µs now.</param>
        internal void PollSelfTest(long now)
        {
            bool done = SelfTest.Poll(now);
            for (int i = 0; i < SelfTest.Count; i++)
            {
                int result = SelfTest.Result(i);
                if (result != UnitSelfTest.Pending && !Reported[i])
                {
                    Reported[i] = true;
                    _console.Send("test " + SelfTest.Name(i) + " " + UnitSelfTest.ResultName(result) + " " + SelfTest.Reason(i));
                }
            }

            if (done)
            {
                _console.Ok("selftest " + (SelfTest.FailedCount == 0 ? "pass" : "fail") + " passed=" + SelfTest.PassedCount.ToString()
                    + " failed=" + SelfTest.FailedCount.ToString() + " skipped=" + SelfTest.SkippedCount.ToString());
            }
        }

        /// <summary>Sends a clock report.</summary>
        /// <param name="unsolicited">Whether it is a periodic <c>* clock</c> line rather than the answer to <c>clock</c>.</param>
        internal void SendClock(bool unsolicited)
        {
            JsonWriter w = _clockJson;
            w.Clear();
            StatusSections.WriteClock(w, Unit);
            if (w.Overflow)
            {
                return;
            }

            if (unsolicited)
            {
                _console.Write(_clockPrefix);
            }

            _console.WriteBytes(w.Buffer, w.Length);
            _console.Write(_newLine);
        }

        private bool NeedUnit()
        {
            if (Unit != null)
            {
                return true;
            }

            _console.Error("not-provisioned", _config.StoredProblem == null
                ? "the unit has no configuration yet: set its keys and commit"
                : "unit.cfg is not valid (" + _config.StoredProblem + "): set, validate and commit a good one");
            return false;
        }

        /// <summary>Gets the hello line: protocol, firmware, unit, whether provisioned, checksums.</summary>
        /// <returns>The line, without its line end.</returns>
        internal string Hello()
        {
            string unit = "none";
            string checksum = "none";
            string provisioned = "no";
            if (Unit != null)
            {
                unit = Unit.Config.Unit.ToString();
                checksum = UnitConsole.Checksum(Unit.Config);
                provisioned = "yes";
            }
            else if (_config.StoredProblem != null)
            {
                provisioned = "invalid";
            }

            return UnitConsole.Banner + " " + UnitConsole.ProtocolVersion.ToString() + " firmware=" + _firmware + " unit=" + unit + " provisioned=" + provisioned
                + " config=" + checksum + " staged=" + (_config.IsClean ? "clean" : "changed");
        }
    }
}
