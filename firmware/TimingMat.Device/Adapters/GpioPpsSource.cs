using System;
using System.Device.Gpio;
using nanoFramework.Hardware.Esp32;
using TimingMat.Core.Hardware;

namespace TimingMat.Device.Adapters
{
    /// <summary>
    /// GPS PPS edges captured by a GPIO <c>ValueChanged</c> handler and stamped with <c>HighResTimer.GetCurrent()</c>.
    /// </summary>
    /// <remarks>
    /// nanoFramework drops the native event's own timestamp before the managed handler runs, and that timestamp is the
    /// FreeRTOS tick (10 ms steps) anyway, so the stamp is taken first thing in the handler with the 1 µs esp_timer
    /// (why the event's time is not usable: firmware/TimingMat.Device/README.md, "PPS"). The handler runs on the event thread, the core polls from
    /// the unit's thread: a small locked ring hands the stamps over. Edges that find the ring full are counted, not
    /// queued, so a stalled core cannot grow the heap.
    /// </remarks>
    public sealed class GpioPpsSource : IPpsSource, IDisposable
    {
        private const int Capacity = 8;

        private readonly long[] _edges = new long[Capacity];
        private readonly object _sync = new object();
        private readonly GpioPin _pin;
        private int _head;
        private int _count;
        private int _dropped;

        /// <summary>Initializes a new instance of the <see cref="GpioPpsSource"/> class.</summary>
        /// <param name="controller">The board's GPIO controller.</param>
        /// <param name="pinNumber">GPIO the PPS output is wired to.</param>
        public GpioPpsSource(GpioController controller, int pinNumber)
        {
            _pin = controller.OpenPin(pinNumber, PinMode.InputPullDown);
            _pin.ValueChanged += OnValueChanged;
        }

        /// <inheritdoc />
        public int DroppedEdges
        {
            get
            {
                lock (_sync)
                {
                    return _dropped;
                }
            }
        }

        /// <inheritdoc />
        public bool TryTakeEdge(out long localMicros)
        {
            lock (_sync)
            {
                if (_count == 0)
                {
                    localMicros = 0;
                    return false;
                }

                localMicros = _edges[_head];
                _head = (_head + 1) % Capacity;
                _count--;
                return true;
            }
        }

        /// <summary>Stops capturing and releases the pin.</summary>
        public void Dispose()
        {
            _pin.ValueChanged -= OnValueChanged;
            _pin.Dispose();
        }

        private void OnValueChanged(object sender, PinValueChangedEventArgs e)
        {
            // Stamp before anything else: every instruction here adds to the latency the mat clock filters out.
            long now = (long)HighResTimer.GetCurrent();
            if (e.ChangeType != PinEventTypes.Rising)
            {
                return;
            }

            lock (_sync)
            {
                if (_count == Capacity)
                {
                    _dropped++;
                    return;
                }

                _edges[(_head + _count) % Capacity] = now;
                _count++;
            }
        }
    }
}
