using System;
using System.IO.Ports;
using nanoFramework.Hardware.Esp32;
using TimingMat.Core.Board;
using TimingMat.Core.Hardware;

namespace TimingMat.Device.Adapters
{
    /// <summary>
    /// The core's byte port over an ESP32 UART. <c>SerialPort</c> is sealed, so it is wrapped here, not subclassed.
    /// </summary>
    public sealed class SerialBytePort : IBytePort, IDisposable
    {
        private readonly SerialPort _port;
        private readonly byte[] _discard = new byte[64];

        /// <summary>Initializes a new instance of the <see cref="SerialBytePort"/> class and routes the UART to the board's pins.</summary>
        /// <param name="pins">Port name, pins and baud rate from the board profile.</param>
        /// <param name="readBufferSize">Driver receive buffer in bytes. The reader streams ~20 kB/s at a busy start, so it needs more than the 256-byte default.</param>
        public SerialBytePort(UartPins pins, int readBufferSize)
        {
            // COM2 and COM3 have no default pins on the ESP32: route them before the port is created and opened.
            if (pins.Port == "COM2")
            {
                Configuration.SetPinFunction(pins.RxPin, DeviceFunction.COM2_RX);
                Configuration.SetPinFunction(pins.TxPin, DeviceFunction.COM2_TX);
            }
            else
            {
                Configuration.SetPinFunction(pins.RxPin, DeviceFunction.COM3_RX);
                Configuration.SetPinFunction(pins.TxPin, DeviceFunction.COM3_TX);
            }

            _port = new SerialPort(pins.Port, pins.Baud, Parity.None, 8, StopBits.One);

            // The buffer size only takes effect before Open().
            _port.ReadBufferSize = readBufferSize;
        }

        /// <inheritdoc />
        public bool IsOpen
        {
            get { return _port.IsOpen; }
        }

        /// <inheritdoc />
        public int BaudRate
        {
            get { return _port.BaudRate; }
            set { _port.BaudRate = value; }
        }

        /// <inheritdoc />
        public void Open()
        {
            if (!_port.IsOpen)
            {
                _port.Open();
            }
        }

        /// <inheritdoc />
        public void Close()
        {
            if (_port.IsOpen)
            {
                _port.Close();
            }
        }

        /// <inheritdoc />
        public int Read(byte[] buffer, int offset, int count)
        {
            if (!_port.IsOpen)
            {
                return 0;
            }

            // SerialPort.Read blocks (and throws TimeoutException) when nothing has arrived; ask first.
            int waiting = _port.BytesToRead;
            if (waiting <= 0)
            {
                return 0;
            }

            return _port.Read(buffer, offset, waiting < count ? waiting : count);
        }

        /// <inheritdoc />
        public void Write(byte[] buffer, int offset, int count)
        {
            if (!_port.IsOpen)
            {
                throw new InvalidOperationException(_port.PortName + " is closed.");
            }

            _port.Write(buffer, offset, count);
        }

        /// <inheritdoc />
        public void DiscardInput()
        {
            // nanoFramework's SerialPort has no DiscardInBuffer: read and drop what is waiting.
            while (Read(_discard, 0, _discard.Length) > 0)
            {
            }
        }

        /// <summary>Closes the port and releases the UART.</summary>
        public void Dispose()
        {
            _port.Dispose();
        }
    }
}
