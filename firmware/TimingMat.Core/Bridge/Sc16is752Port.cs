using System;
using TimingMat.Core.Hardware;

namespace TimingMat.Core.Bridge
{
    /// <summary>
    /// One channel of an <see cref="Sc16is752Bridge"/> as the core's byte port: a reader module's UART behind SPI.
    /// </summary>
    /// <remarks>
    /// <para><see cref="Open"/> proves the wiring before trusting it (the scratchpad must read back what was
    /// written, and LCR must hold 8N1 after programming), so a missing chip, a swapped MISO or a wrong chip select
    /// fails the open with a message instead of looking like a silent reader. A reader driver that gets no answer
    /// closes and reopens its port, which runs the same checks again.</para>
    /// <para>Writes go to a 256-byte queue and into the transmit FIFO as TXLVL allows, on the write and on every read
    /// (the core polls its ports all the time); a reader command is at most a few dozen bytes.</para>
    /// </remarks>
    public sealed class Sc16is752Port : IBytePort
    {
        /// <summary>Largest error between the line speed asked for and the one the divisor makes, ‰.</summary>
        public const int BaudTolerancePermille = 20;

        private const int TransmitQueueBytes = 256;

        // Different per channel, and neither 0x00 nor 0xFF, so a dead bus or the other channel's value cannot pass.
        private const int ScratchpadProbe = 0x5A;

        private readonly Sc16is752Bridge _bridge;
        private readonly int _channel;
        private readonly byte[] _queue = new byte[TransmitQueueBytes];
        private int _queued;
        private int _baudRate = 115200;
        private bool _open;

        internal Sc16is752Port(Sc16is752Bridge bridge, int channel)
        {
            _bridge = bridge;
            _channel = channel;
        }

        /// <summary>Gets the channel, 0 (A) or 1 (B).</summary>
        public int Channel
        {
            get { return _channel; }
        }

        /// <summary>Gets the number of times the chip reported bytes lost to a full receive FIFO (polled too slowly).</summary>
        public int Overruns { get; private set; }

        /// <inheritdoc />
        public bool IsOpen
        {
            get { return _open; }
        }

        /// <summary>Gets or sets the line speed; an open port is reprogrammed at once.</summary>
        /// <exception cref="ArgumentOutOfRangeException">The crystal cannot make the speed within <see cref="BaudTolerancePermille"/>.</exception>
        public int BaudRate
        {
            get
            {
                return _baudRate;
            }

            set
            {
                if (Sc16is752.DivisorFor(_bridge.CrystalHz, value, BaudTolerancePermille) == 0)
                {
                    throw new ArgumentOutOfRangeException("value");
                }

                _baudRate = value;
                if (_open)
                {
                    ProgramLine();
                }
            }
        }

        /// <summary>Resets the chip if no channel has yet, checks it answers, and sets the line to 8N1 at <see cref="BaudRate"/> with FIFOs on.</summary>
        /// <exception cref="BridgeException">The chip does not answer or does not keep what was written.</exception>
        public void Open()
        {
            if (_open)
            {
                return;
            }

            _bridge.ResetOnce();
            int probe = ScratchpadProbe + _channel;
            _bridge.WriteRegister(_channel, Sc16is752.RegSpr, probe);
            int echo = _bridge.ReadRegister(_channel, Sc16is752.RegSpr);
            if (echo != probe)
            {
                _bridge.ForgetReset();
                throw new BridgeException("SC16IS752 channel " + ChannelName() + " does not answer: scratchpad wrote 0x" + probe.ToString("X2") + ", read 0x" + echo.ToString("X2") + "; check the SPI wiring, chip select and power");
            }

            ProgramLine();
            int lcr = _bridge.ReadRegister(_channel, Sc16is752.RegLcr);
            if (lcr != Sc16is752.Lcr8N1)
            {
                _bridge.ForgetReset();
                throw new BridgeException("SC16IS752 channel " + ChannelName() + " did not keep its line settings: LCR reads 0x" + lcr.ToString("X2") + " after writing 0x03");
            }

            _bridge.WriteRegister(_channel, Sc16is752.RegFcr, Sc16is752.FcrFifoEnable | Sc16is752.FcrResetRx | Sc16is752.FcrResetTx);
            _queued = 0;
            _open = true;
        }

        /// <inheritdoc />
        public void Close()
        {
            _open = false;
            _queued = 0;
        }

        /// <inheritdoc />
        /// <exception cref="BridgeException">RXLVL or TXLVL reads a level a 64-byte FIFO cannot have: the chip stopped answering.</exception>
        public int Read(byte[] buffer, int offset, int count)
        {
            if (!_open || count <= 0)
            {
                return 0;
            }

            Flush();
            int level = Level(Sc16is752.RegRxLvl, "RXLVL");
            if (level == 0)
            {
                return 0;
            }

            // The overrun flag can only be set while the FIFO is full, and a full FIFO stays full until read, so
            // looking only at a full FIFO finds every overrun with no extra transaction in the common case.
            if (level == Sc16is752.FifoBytes && (_bridge.ReadRegister(_channel, Sc16is752.RegLsr) & Sc16is752.LsrOverrun) != 0)
            {
                Overruns++;
            }

            int n = level < count ? level : count;
            _bridge.ReadFifo(_channel, buffer, offset, n);
            return n;
        }

        /// <inheritdoc />
        /// <exception cref="BridgeException">The port is closed, or the queue cannot take the bytes.</exception>
        public void Write(byte[] buffer, int offset, int count)
        {
            if (!_open)
            {
                throw new BridgeException("SC16IS752 channel " + ChannelName() + " is closed");
            }

            if (count > TransmitQueueBytes - _queued)
            {
                throw new BridgeException("SC16IS752 channel " + ChannelName() + " transmit queue is full");
            }

            Array.Copy(buffer, offset, _queue, _queued, count);
            _queued += count;
            Flush();
        }

        /// <inheritdoc />
        public void DiscardInput()
        {
            if (_open)
            {
                _bridge.WriteRegister(_channel, Sc16is752.RegFcr, Sc16is752.FcrFifoEnable | Sc16is752.FcrResetRx);
            }
        }

        private void Flush()
        {
            if (_queued == 0)
            {
                return;
            }

            int space = Level(Sc16is752.RegTxLvl, "TXLVL");
            int n = space < _queued ? space : _queued;
            if (n == 0)
            {
                return;
            }

            _bridge.WriteFifo(_channel, _queue, 0, n);
            _queued -= n;
            if (_queued > 0)
            {
                Array.Copy(_queue, n, _queue, 0, _queued);
            }
        }

        private int Level(int register, string name)
        {
            int level = _bridge.ReadRegister(_channel, register);
            if (level > Sc16is752.FifoBytes)
            {
                throw new BridgeException("SC16IS752 channel " + ChannelName() + " " + name + " reads " + level.ToString() + ", more than a FIFO holds: the chip stopped answering");
            }

            return level;
        }

        private void ProgramLine()
        {
            int divisor = Sc16is752.DivisorFor(_bridge.CrystalHz, _baudRate, BaudTolerancePermille);
            _bridge.WriteRegister(_channel, Sc16is752.RegLcr, Sc16is752.LcrDivisorLatch | Sc16is752.Lcr8N1);
            _bridge.WriteRegister(_channel, Sc16is752.RegDll, divisor & 0xFF);
            _bridge.WriteRegister(_channel, Sc16is752.RegDlh, (divisor >> 8) & 0xFF);
            _bridge.WriteRegister(_channel, Sc16is752.RegLcr, Sc16is752.Lcr8N1);
        }

        private string ChannelName()
        {
            return _channel == 0 ? "A" : "B";
        }
    }
}
