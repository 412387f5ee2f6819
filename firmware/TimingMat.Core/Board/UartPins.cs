namespace TimingMat.Core.Board
{
    /// <summary>The UART a module is wired to: ESP32 port name, pins and line speed.</summary>
    public sealed class UartPins
    {
        /// <summary>Initializes a new instance of the <see cref="UartPins"/> class.</summary>
        /// <param name="port">nanoFramework port name, <c>COM2</c> or <c>COM3</c> (COM1 is the debug console).</param>
        /// <param name="rxPin">GPIO the ESP32 receives on (the module's TX).</param>
        /// <param name="txPin">GPIO the ESP32 transmits on (the module's RX).</param>
        /// <param name="baud">Line speed in baud.</param>
        public UartPins(string port, int rxPin, int txPin, int baud)
        {
            Port = port;
            RxPin = rxPin;
            TxPin = txPin;
            Baud = baud;
        }

        /// <summary>Gets the nanoFramework port name.</summary>
        public string Port { get; private set; }

        /// <summary>Gets the GPIO the ESP32 receives on.</summary>
        public int RxPin { get; private set; }

        /// <summary>Gets the GPIO the ESP32 transmits on.</summary>
        public int TxPin { get; private set; }

        /// <summary>Gets the line speed in baud.</summary>
        public int Baud { get; private set; }
    }
}
