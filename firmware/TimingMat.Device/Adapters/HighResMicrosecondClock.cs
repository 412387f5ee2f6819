using nanoFramework.Hardware.Esp32;
using TimingMat.Core.Hardware;

namespace TimingMat.Device.Adapters
{
    /// <summary>The core's microsecond clock on the ESP32: esp_timer through <c>HighResTimer.GetCurrent()</c>.</summary>
    /// <remarks>
    /// esp_timer counts from boot at 1 µs and keeps counting through light sleep, unlike the CPU cycle counter, and
    /// unlike <c>Environment.TickCount64</c> it is not quantised to the 10 ms FreeRTOS tick.
    /// </remarks>
    public sealed class HighResMicrosecondClock : IMicrosecondClock
    {
        /// <inheritdoc />
        public long GetMicroseconds()
        {
            return (long)HighResTimer.GetCurrent();
        }
    }
}
