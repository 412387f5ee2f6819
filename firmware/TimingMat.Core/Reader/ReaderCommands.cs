namespace TimingMat.Core.Reader
{
    /// <summary>
    /// The commands a <see cref="ReaderDriver"/> sends its module, in their order: the protocol's configuration steps
    /// one by one, each after the answer to the one before; after the first answer, the move to the line speed when
    /// the options ask for one; then start, again for each round of a module that reads in rounds; and stop. They are
    /// encoded by the <see cref="IModuleProtocol"/> into one transmit buffer and sent on the <see cref="ReaderLine"/>;
    /// the driver keeps the states, deadlines and restarts, and acts on what each step returns.
    /// </summary>
    internal sealed class ReaderCommands
    {
        /// <summary>A configuration command is sent: wait for its answer.</summary>
        internal const int Sent = 0;

        /// <summary>The configuration is done: the start command is due.</summary>
        internal const int StartDue = 1;

        /// <summary>The module refused a configuration command: restart it.</summary>
        internal const int Refused = 2;

        /// <summary>The port failed: restart the module.</summary>
        internal const int PortFailed = 3;

        /// <summary>The local time the last start command was sent, µs.</summary>
        internal long startSentMicros;

        private readonly IModuleProtocol _protocol;
        private readonly ReaderLine _line;
        private readonly ReaderCounters _counters;
        private readonly byte[] _transmit = new byte[64];
        private readonly int _steps;
        private int _step;
        private bool _lineSpeedStep;

        /// <summary>Initializes a new instance of the <see cref="ReaderCommands"/> class.</summary>
        /// <param name="protocol">The module's protocol (encoders).</param>
        /// <param name="line">The line the commands go out on.</param>
        /// <param name="counters">The driver's counters (line speeds refused).</param>
        internal ReaderCommands(IModuleProtocol protocol, ReaderLine line, ReaderCounters counters)
        {
            _protocol = protocol;
            _line = line;
            _counters = counters;
            _steps = protocol.ConfigurationSteps;
        }

        /// <summary>Sends the first configuration command.</summary>
        /// <returns><see cref="Sent"/>, <see cref="StartDue"/> (no configuration) or <see cref="PortFailed"/>.</returns>
        internal int Begin()
        {
            _step = 0;
            _lineSpeedStep = false;
            return SendStep();
        }

        /// <summary>Goes on from the module's answer to the command last sent.</summary>
        /// <param name="accepted">Whether the module accepted it.</param>
        /// <returns><see cref="Sent"/>, <see cref="StartDue"/>, <see cref="Refused"/> or <see cref="PortFailed"/>.</returns>
        internal int Answered(bool accepted)
        {
            ReaderLine line = _line;
            if (_lineSpeedStep)
            {
                _lineSpeedStep = false;
                if (!accepted)
                {
                    // A module that refuses the speed still reads at the old one: fewer reads beat none.
                    _counters.lineSpeedRefusals++;
                }
                else if (!line.MoveToLineSpeed())
                {
                    return PortFailed;
                }
            }
            else if (!accepted)
            {
                return Refused;
            }
            else if (_step == 0 && line.lineRate > 0 && line.BaudRate() != line.lineRate)
            {
                // The module answered its first command at the speed it boots at: now move it to the line speed, so
                // the later commands (and the stream) run at that speed.
                int length = _protocol.EncodeLineSpeed(_transmit, line.lineRate);
                if (length > 0)
                {
                    _lineSpeedStep = true;
                    return line.Send(_transmit, length) ? Sent : PortFailed;
                }
            }

            _step++;
            return SendStep();
        }

        /// <summary>Sends the start command (or, to a module that reads in rounds, the next round's).</summary>
        /// <param name="now">The local time, µs.</param>
        /// <returns><c>true</c> when the port took it.</returns>
        internal bool SendStart(long now)
        {
            startSentMicros = now;
            return _line.Send(_transmit, _protocol.EncodeStart(_transmit));
        }

        /// <summary>Sends the stop command, when the protocol has one.</summary>
        internal void SendStop()
        {
            int length = _protocol.EncodeStop(_transmit);
            if (length > 0)
            {
                _line.Send(_transmit, length);
            }
        }

        private int SendStep()
        {
            if (_step >= _steps)
            {
                return StartDue;
            }

            return _line.Send(_transmit, _protocol.EncodeConfiguration(_step, _transmit)) ? Sent : PortFailed;
        }
    }
}
