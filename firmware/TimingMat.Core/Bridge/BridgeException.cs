using System;

namespace TimingMat.Core.Bridge
{
    /// <summary>
    /// An SPI-UART bridge channel that cannot be used: the chip does not answer, does not keep its settings, or the
    /// port is closed or full. A reader driver counts it as a port error and reopens the port later.
    /// </summary>
    public class BridgeException : Exception
    {
        /// <summary>Initializes a new instance of the <see cref="BridgeException"/> class.</summary>
        /// <param name="message">What is wrong, in words an engineer at the bench can act on.</param>
        public BridgeException(string message)
            : base(message)
        {
        }
    }
}
