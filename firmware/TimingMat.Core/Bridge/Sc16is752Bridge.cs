using System;
using TimingMat.Core.Hardware;

namespace TimingMat.Core.Bridge
{
    /// <summary>
    /// One SC16IS752 SPI-to-dual-UART bridge: two more UARTs for reader modules on a board whose own UARTs are taken
    /// (the debugger's and the GPS's). Each channel is an <see cref="IBytePort"/> (<see cref="Port"/>), so a reader
    /// driver runs on it unchanged; two bridges on one bus (two chip selects) give a unit four reader modules.
    /// </summary>
    /// <remarks>
    /// <para>Polled like every port of the core, so it needs no interrupt line: each <see cref="IBytePort.Read"/>
    /// reads RXLVL and then exactly that many bytes from RHR. A 64-byte FIFO fills in 5.6 ms at 115,200 baud, so the
    /// unit must poll the ports at least that often; a byte lost to a full FIFO sets the chip's overrun flag, which
    /// the port counts (<see cref="Sc16is752Port.Overruns"/>) and the reader's frame CRC turns into one lost frame.</para>
    /// <para>Allocation: a burst of n bytes is moved in power-of-two pieces (64, 32, … 1) through buffers made once,
    /// because an SPI transaction's length is its buffer's length; a full FIFO takes one transaction, the worst case
    /// (63 bytes) six.</para>
    /// </remarks>
    public sealed class Sc16is752Bridge
    {
        private const int PieceSizes = 7;

        private readonly ISpiDevice _spi;
        private readonly byte[] _registerWrite = new byte[2];
        private readonly byte[] _registerRead = new byte[2];
        private readonly byte[][] _pieceWrite = new byte[PieceSizes][];
        private readonly byte[][] _pieceRead = new byte[PieceSizes][];
        private readonly Sc16is752Port[] _ports = new Sc16is752Port[Sc16is752.Channels];
        private bool _wasReset;

        /// <summary>Initializes a new instance of the <see cref="Sc16is752Bridge"/> class. Nothing is sent until a port opens.</summary>
        /// <param name="spi">The chip's SPI device (mode 0, at most 4 MHz for an SC16IS752, 15 MHz for an SC16IS762).</param>
        /// <param name="crystalHz">The chip's crystal, Hz (<see cref="Sc16is752.DefaultCrystalHz"/> on the usual boards).</param>
        /// <exception cref="ArgumentNullException"><paramref name="spi"/> is <c>null</c>.</exception>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="crystalHz"/> is outside 1–80 MHz (the datasheet's range).</exception>
        public Sc16is752Bridge(ISpiDevice spi, int crystalHz)
        {
            if (spi == null)
            {
                throw new ArgumentNullException("spi");
            }

            if (crystalHz < 1000000 || crystalHz > 80000000)
            {
                throw new ArgumentOutOfRangeException("crystalHz");
            }

            _spi = spi;
            CrystalHz = crystalHz;
            for (int k = 0; k < PieceSizes; k++)
            {
                _pieceWrite[k] = new byte[1 + (1 << k)];
                _pieceRead[k] = new byte[1 + (1 << k)];
            }

            for (int channel = 0; channel < Sc16is752.Channels; channel++)
            {
                _ports[channel] = new Sc16is752Port(this, channel);
            }
        }

        /// <summary>Gets the chip's crystal, Hz.</summary>
        public int CrystalHz { get; private set; }

        /// <summary>Gets the number of SPI transactions so far (bus load: each costs a chip select and a command byte).</summary>
        public long Transactions { get; private set; }

        /// <summary>Gets the number of bytes clocked over SPI so far, command bytes included.</summary>
        public long BytesClocked { get; private set; }

        /// <summary>Gets one channel as a byte port.</summary>
        /// <param name="channel">0 (channel A) or 1 (channel B).</param>
        /// <returns>The same port object on every call.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="channel"/> is not 0 or 1.</exception>
        public Sc16is752Port Port(int channel)
        {
            if (channel < 0 || channel >= Sc16is752.Channels)
            {
                throw new ArgumentOutOfRangeException("channel");
            }

            return _ports[channel];
        }

        /// <summary>
        /// Resets the chip once, at the first port opened: the reset clears both channels, so a reader driver that
        /// reopens its port after a fault must not cut the other channel's reader off.
        /// </summary>
        internal void ResetOnce()
        {
            if (_wasReset)
            {
                return;
            }

            WriteRegister(0, Sc16is752.RegIoControl, Sc16is752.IoControlReset);
            _wasReset = true;
        }

        /// <summary>Makes the next port opened reset the chip again: it did not answer, so the other channel is down too.</summary>
        internal void ForgetReset()
        {
            _wasReset = false;
        }

        /// <summary>Reads one register.</summary>
        internal int ReadRegister(int channel, int register)
        {
            _registerWrite[0] = Sc16is752.Command(true, register, channel);
            _registerWrite[1] = 0;
            Transfer(_registerWrite, _registerRead);
            return _registerRead[1];
        }

        /// <summary>Writes one register.</summary>
        internal void WriteRegister(int channel, int register, int value)
        {
            _registerWrite[0] = Sc16is752.Command(false, register, channel);
            _registerWrite[1] = (byte)value;
            Send(_registerWrite);
        }

        /// <summary>Reads exactly <paramref name="count"/> bytes from the receive FIFO (count at most RXLVL).</summary>
        internal void ReadFifo(int channel, byte[] buffer, int offset, int count)
        {
            MoveFifo(true, channel, buffer, offset, count);
        }

        /// <summary>Writes exactly <paramref name="count"/> bytes into the transmit FIFO (count at most TXLVL).</summary>
        internal void WriteFifo(int channel, byte[] buffer, int offset, int count)
        {
            MoveFifo(false, channel, buffer, offset, count);
        }

        private void MoveFifo(bool read, int channel, byte[] buffer, int offset, int count)
        {
            byte command = Sc16is752.Command(read, Sc16is752.RegRhrThr, channel);
            for (int k = PieceSizes - 1; k >= 0 && count > 0; k--)
            {
                int size = 1 << k;
                if (size > count)
                {
                    continue;
                }

                byte[] write = _pieceWrite[k];
                write[0] = command;
                if (read)
                {
                    for (int i = 1; i <= size; i++)
                    {
                        write[i] = 0;
                    }

                    Transfer(write, _pieceRead[k]);
                    Array.Copy(_pieceRead[k], 1, buffer, offset, size);
                }
                else
                {
                    Array.Copy(buffer, offset, write, 1, size);
                    Send(write);
                }

                offset += size;
                count -= size;
            }
        }

        private void Transfer(byte[] write, byte[] read)
        {
            Transactions++;
            BytesClocked += write.Length;
            _spi.TransferFullDuplex(write, read);
        }

        private void Send(byte[] write)
        {
            Transactions++;
            BytesClocked += write.Length;
            _spi.Write(write);
        }
    }
}
