using TimingMat.Core.Clock;
using TimingMat.Core.Common;
using TimingMat.Core.Hardware;
using TimingMat.Core.Outbox;
using TimingMat.Core.Passings;
using TimingMat.Core.RaceDay;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// Carries out the signed commands of a unit's command topic (firmware/docs/wire-formats.md §6) on its parts —
    /// arm, disarm, mode, cut-off, gun, wave and corral markers, replay, status, clock report, reboot — and answers every
    /// one on the reply topic: accepted, refused by the part (and why), or rejected (and why: unsigned, bad tag, wrong
    /// unit, replayed …). A rejected command changes nothing and is counted for the status.
    /// </summary>
    /// <remarks>
    /// The counter of an authentic command is saved on flash before the command acts, so a reboot cannot make a recorded
    /// command valid again. Mode and window changes are saved too and survive a reboot (until the configuration changes).
    /// </remarks>
    public sealed class UnitCommands : IUnitCommandSink
    {
        /// <summary>The reply writer's buffer, bytes.</summary>
        public const int ReplyBytes = 768;

        private const string Accepted = "accepted";

        private readonly MatUnit _unit;
        private readonly SignedCommand _command;
        private readonly JsonWriter _reply = new JsonWriter(ReplyBytes);
        private readonly int[] _checks = new int[CommandCheckText.Count];
        private bool _clockReport;
        private long _hostSentMicros;
        private long _receivedUtcMicros;
        private bool _receivedSynced;

        /// <summary>Initializes a new instance of the <see cref="UnitCommands"/> class.</summary>
        /// <param name="unit">The unit whose parts the commands act on.</param>
        public UnitCommands(MatUnit unit)
        {
            _unit = unit;
            _command = new SignedCommand(unit.Hardware.Hmac);
        }

        /// <summary>Gets the number of authentic commands the unit's parts carried out.</summary>
        public int AcceptedCount { get; private set; }

        /// <summary>Gets the number of authentic commands a part refused (wrong role, test mode, clock not synced …).</summary>
        public int RefusedCount { get; private set; }

        /// <summary>Gets the number of commands rejected before they acted, all reasons together.</summary>
        public int RejectedCount { get; private set; }

        /// <summary>Gets the number of commands rejected for one reason.</summary>
        /// <param name="check">The reason.</param>
        /// <returns>The count.</returns>
        public int Rejected(CommandCheck check)
        {
            return _checks[(int)check];
        }

        /// <inheritdoc />
        public void OnCommand(byte[] payload, long receivedMicros)
        {
            // When the command arrived, on the mat clock, for a clock exchange (clock verify's NTP-style round trip): the
            // link's stamp, not this poll's time, which may come a whole loop later.
            MatTime taken = receivedMicros == MqttMessage.NotStamped ? _unit.Clock.Now() : _unit.Clock.ToMatTime(receivedMicros);
            _receivedUtcMicros = taken.UtcMicros;
            _receivedSynced = taken.State != ClockState.Unsynced;
            CommandCheck check = _command.Read(payload, _unit.Config.Unit, _unit.Config.CommandKey, _unit.State.CommandCounter);
            if (check == CommandCheck.Accepted)
            {
                // Used up before it acts: a reboot in the middle must not make it valid again.
                _unit.State.CommandCounter = _command.Counter;
                _unit.State.Save();
            }

            string reason = null;
            _clockReport = false;
            if (check == CommandCheck.Accepted)
            {
                reason = Carry();
                if (reason == null)
                {
                    AcceptedCount++;
                }
                else if (reason == CommandCheckText.Name(CommandCheck.Invalid))
                {
                    check = CommandCheck.Invalid;
                }
                else
                {
                    RefusedCount++;
                }
            }

            if (check != CommandCheck.Accepted)
            {
                _checks[(int)check]++;
                RejectedCount++;
                reason = CommandCheckText.Name(check);
            }

            Reply(check, reason);
            _unit.Status.MarkChanged();
        }

        // Carries an authentic command out. Returns null when done, else why not: "invalid" for a verb or arguments
        // it does not understand, or the part's refusal.
        private string Carry()
        {
            string verb = _command.Verb;
            int arguments = _command.ArgumentCount;
            long now = _unit.Hardware.Clock.GetMicroseconds();
            RaceDayControl raceDay = _unit.RaceDay;
            long time;
            long number;
            if (verb == "arm" && arguments <= 1)
            {
                RaceDayResult result;
                if (arguments == 0)
                {
                    result = raceDay.ArmNow(now);
                }
                else if (ValueText.TryParseUtc(_command.Argument(0), out time))
                {
                    result = raceDay.ArmAt(time);
                }
                else
                {
                    return Invalid();
                }

                if (result == RaceDayResult.Accepted)
                {
                    raceDay.EnterTimingMode();
                    _unit.SaveRaceDay();
                }

                return Refusal(result);
            }

            if (verb == "disarm" && arguments == 0)
            {
                raceDay.EnterTestMode();
                _unit.SaveRaceDay();
                return null;
            }

            if (verb == "mode" && arguments == 1)
            {
                string mode = _command.Argument(0).ToLower();
                if (mode == "timing")
                {
                    raceDay.EnterTimingMode();
                }
                else if (mode == "test")
                {
                    raceDay.EnterTestMode();
                }
                else
                {
                    return Invalid();
                }

                _unit.SaveRaceDay();
                return null;
            }

            if (verb == "cutoff" && arguments == 1)
            {
                if (!ValueText.TryParseUtc(_command.Argument(0), out time))
                {
                    return Invalid();
                }

                RaceDayResult result = raceDay.CutOffAt(time);
                if (result == RaceDayResult.Accepted)
                {
                    _unit.SaveRaceDay();
                }

                return Refusal(result);
            }

            if ((verb == "gun" && arguments <= 1) || ((verb == "wave" || verb == "corral") && arguments == 1))
            {
                number = 0;
                if (arguments == 1 && (!ValueText.TryParseLong(_command.Argument(0), out number) || number < 0 || number > 65535))
                {
                    return Invalid();
                }

                PassingKind kind = verb == "gun" ? PassingKind.GunStart : (verb == "wave" ? PassingKind.WaveStart : PassingKind.CorralOpen);
                return Refusal(raceDay.IssueMarker(kind, (int)number, now));
            }

            if (verb == "replay" && (arguments == 1 || arguments == 2))
            {
                long to = ReplayRequest.OpenEnd;
                if (!ValueText.TryParseLong(_command.Argument(0), out number) || number < 1
                    || (arguments == 2 && (!ValueText.TryParseLong(_command.Argument(1), out to) || to < number)))
                {
                    return Invalid();
                }

                if (_unit.Uplink.Outbox == null)
                {
                    return "journal-closed";
                }

                _unit.Uplink.Outbox.Replay(number, to);
                return null;
            }

            if (verb == "status" && arguments == 0)
            {
                _unit.Status.PublishNow();
                return null;
            }

            if (verb == "clock" && arguments <= 1)
            {
                // The optional argument is the tent's send time (UTC µs since 1970), echoed with the unit's own times.
                _hostSentMicros = -1;
                if (arguments == 1 && (!ValueText.TryParseLong(_command.Argument(0), out _hostSentMicros) || _hostSentMicros < 0))
                {
                    return Invalid();
                }

                _clockReport = true;
                return null;
            }

            if (verb == "reboot" && arguments == 0)
            {
                _unit.RequestReboot(BootReason.Command);
                return null;
            }

            return Invalid();
        }

        // The times of a clock exchange: the tent's send time as it sent it, the mat clock's UTC when the command arrived
        // and when this reply goes out (null while unsynced), and how long ago the last PPS edge was taken. Written last,
        // so only a few numbers lie between the send time and the publication.
        private void WriteExchange(JsonWriter w)
        {
            MatTime sent = _unit.Clock.Now();
            w.Name("exchange");
            w.BeginObject();
            w.Name("host_us");
            if (_hostSentMicros >= 0)
            {
                w.Number(_hostSentMicros);
            }
            else
            {
                w.Null();
            }

            w.Name("rx_us");
            if (_receivedSynced)
            {
                w.Number(_receivedUtcMicros);
            }
            else
            {
                w.Null();
            }

            w.Name("tx_us");
            if (sent.State != ClockState.Unsynced)
            {
                w.Number(sent.UtcMicros);
            }
            else
            {
                w.Null();
            }

            w.Name("last_pps_ms");
            MatClock clock = _unit.Clock;
            if (clock.EdgesCommitted == 0)
            {
                w.Null();
            }
            else
            {
                w.Number((_unit.Hardware.Clock.GetMicroseconds() - clock.LastEdgeLocalMicros) / 1000);
            }

            w.EndObject();
        }

        private static string Invalid()
        {
            return CommandCheckText.Name(CommandCheck.Invalid);
        }

        private static string Refusal(RaceDayResult result)
        {
            return result == RaceDayResult.Accepted ? null : RaceDayText.Name(result);
        }

        private void Reply(CommandCheck check, string reason)
        {
            JsonWriter w = _reply;
            w.Clear();
            w.BeginObject();
            w.Member("unit", _unit.Config.Unit);
            w.Name("counter");
            if (_command.Counter > 0)
            {
                w.Number(_command.Counter);
            }
            else
            {
                w.Null();
            }

            w.Name("verb");
            if (_command.Verb != null && check != CommandCheck.Unsigned && check != CommandCheck.Malformed)
            {
                w.String(_command.Verb);
            }
            else
            {
                w.Null();
            }

            w.Member("result", check != CommandCheck.Accepted ? "rejected" : (reason == null ? Accepted : "refused"));
            if (reason != null)
            {
                w.Member("reason", reason);
            }

            if (_clockReport)
            {
                w.Name("clock");
                _unit.Status.WriteClock(w);
                WriteExchange(w);
            }

            w.EndObject();
            if (!w.Overflow)
            {
                _unit.Uplink.Publish(_unit.Uplink.Topics.Replies, w.ToArray(), false);
            }
        }
    }
}
