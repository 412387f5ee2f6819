namespace TimingMat.Core.Hardware
{
    /// <summary>The unit's LED and buzzer: what a technician standing at the mat sees and hears (test mode, a test tag read, an alarm).</summary>
    public interface IUnitSignal
    {
        /// <summary>Turns the LED on or off.</summary>
        /// <param name="on"><c>true</c> for on.</param>
        void SetLed(bool on);

        /// <summary>Starts a beep and returns at once; a beep in progress is extended. Boards without a buzzer do nothing.</summary>
        /// <param name="milliseconds">How long the buzzer sounds.</param>
        void Beep(int milliseconds);
    }
}
