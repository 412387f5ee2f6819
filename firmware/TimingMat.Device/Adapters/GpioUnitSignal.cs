using System;
using System.Device.Gpio;
using System.Threading;
using TimingMat.Core.Hardware;

namespace TimingMat.Device.Adapters
{
    /// <summary>The unit's status LED and buzzer on GPIOs (board.cfg <c>led</c> and <c>buzzer</c>; either may be absent).</summary>
    /// <remarks>
    /// The buzzer is an active one (it has its own oscillator) switched by a transistor, so a GPIO level is all it
    /// needs and no PWM channel is taken. <see cref="Beep"/> must not block the timing loop: it switches the buzzer on
    /// and a one-shot timer switches it off; a beep during a beep only moves the timer.
    /// </remarks>
    public sealed class GpioUnitSignal : IUnitSignal, IDisposable
    {
        private readonly GpioPin _led;
        private readonly GpioPin _buzzer;
        private readonly Timer _silence;

        /// <summary>Initializes a new instance of the <see cref="GpioUnitSignal"/> class.</summary>
        /// <param name="controller">The board's GPIO controller.</param>
        /// <param name="ledPin">LED GPIO (high lights it), or -1.</param>
        /// <param name="buzzerPin">Buzzer GPIO (high sounds it), or -1.</param>
        public GpioUnitSignal(GpioController controller, int ledPin, int buzzerPin)
        {
            if (ledPin >= 0)
            {
                _led = controller.OpenPin(ledPin, PinMode.Output);
                _led.Write(PinValue.Low);
            }

            if (buzzerPin >= 0)
            {
                _buzzer = controller.OpenPin(buzzerPin, PinMode.Output);
                _buzzer.Write(PinValue.Low);
                _silence = new Timer(Silence, null, Timeout.Infinite, Timeout.Infinite);
            }
        }

        /// <inheritdoc />
        public void SetLed(bool on)
        {
            if (_led != null)
            {
                _led.Write(on ? PinValue.High : PinValue.Low);
            }
        }

        /// <inheritdoc />
        public void Beep(int milliseconds)
        {
            if (_buzzer == null || milliseconds <= 0)
            {
                return;
            }

            _buzzer.Write(PinValue.High);
            _silence.Change(milliseconds, Timeout.Infinite);
        }

        /// <summary>Silences the buzzer, turns the LED off and releases the pins.</summary>
        public void Dispose()
        {
            if (_buzzer != null)
            {
                _silence.Dispose();
                _buzzer.Write(PinValue.Low);
                _buzzer.Dispose();
            }

            if (_led != null)
            {
                _led.Write(PinValue.Low);
                _led.Dispose();
            }
        }

        private void Silence(object state)
        {
            _buzzer.Write(PinValue.Low);
        }
    }
}
