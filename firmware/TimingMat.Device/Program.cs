using System.Device.Gpio;
using System.Diagnostics;
using System.Threading;
using TimingMat.Core.Board;
using TimingMat.Core.BringUp;
using TimingMat.Device.Adapters;
using TimingMat.Device.BringUp;

namespace TimingMat.Device
{
    /// <summary>
    /// The mat unit's entry point. It loads the board profile, builds the hardware adapters the core consumes and
    /// runs the core from one polling loop. Until the unit supervisor lands, the loop runs the bring-up wiring check
    /// and prints one line a second on the debug console.
    /// </summary>
    public static class Program
    {
        private const int ReaderBufferBytes = 4096;
        private const int GpsBufferBytes = 1024;
        private const int PollMilliseconds = 10;

        /// <summary>Starts the unit. Never returns.</summary>
        public static void Main()
        {
            bool usedDefault;
            BoardProfile board;
            try
            {
                board = BoardConfigLoader.Load(out usedDefault);
            }
            catch (BoardProfileException e)
            {
                // Never guess pins: a wrong TX pin can hold a module in reset. Say why, forever, on the console.
                while (true)
                {
                    Debug.WriteLine("board.cfg rejected: " + e.Message);
                    Thread.Sleep(5000);
                }
            }

            Debug.WriteLine("TimingMat unit on " + board.Name + " (" + board.Target + ")" + (usedDefault ? ", built-in profile: deploy I:\\board.cfg for your wiring" : string.Empty));

            HighResMicrosecondClock clock = new HighResMicrosecondClock();
            GpioController gpio = new GpioController();
            SerialBytePort reader = new SerialBytePort(board.Reader, ReaderBufferBytes);
            SerialBytePort gps = new SerialBytePort(board.Gps, GpsBufferBytes);
            reader.Open();
            gps.Open();
            GpioPpsSource pps = new GpioPpsSource(gpio, board.PpsPin);
            FlashFileStore store = new FlashFileStore(board.StorageRoot);
            SpiBusDevice radio = board.Lora == null ? null : new SpiBusDevice(board.Lora);

            WiringCheck check = new WiringCheck(clock, reader, gps, pps, store, radio, 1000000);
            while (true)
            {
                if (check.Poll())
                {
                    Debug.WriteLine(check.LastReport.ToString());
                }

                Thread.Sleep(PollMilliseconds);
            }
        }
    }
}
