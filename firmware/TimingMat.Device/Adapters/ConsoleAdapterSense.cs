using System.Device.Gpio;
using System.Threading;

namespace TimingMat.Device.Adapters
{
    /// <summary>
    /// Tells at boot whether a USB-serial adapter is plugged into the serial console's pins: its TX idles high (a UART
    /// line at rest is a mark), so <c>console.rx</c> reads high against the ESP32's internal pull-down; with nothing
    /// plugged in the pull-down holds it low. Only then does the console borrow the GPS's UART.
    /// </summary>
    public static class ConsoleAdapterSense
    {
        /// <summary>Reads the console's receive pin once through its pull-down and releases it for the UART.</summary>
        /// <param name="gpio">The board's GPIO controller.</param>
        /// <param name="rxPin">The ESP32's console receive GPIO (<c>console.rx</c>; the parser refuses 34–39, which have no pull-down).</param>
        /// <returns><c>true</c> when a powered adapter holds the line high.</returns>
        public static bool IsPlugged(GpioController gpio, int rxPin)
        {
            GpioPin pin = gpio.OpenPin(rxPin, PinMode.InputPullDown);
            try
            {
                // Two reads a moment apart: a line caught in a start bit (the host typing while the board boots) reads
                // low once; an unplugged pin never reads high.
                if (pin.Read() == PinValue.High)
                {
                    return true;
                }

                Thread.Sleep(2);
                return pin.Read() == PinValue.High;
            }
            finally
            {
                // Released, so the UART can take the pin.
                pin.Dispose();
            }
        }
    }
}
