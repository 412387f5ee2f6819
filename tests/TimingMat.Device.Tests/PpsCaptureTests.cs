using System.Device.Gpio;
using System.Threading;
using nanoFramework.Hardware.Esp32;
using nanoFramework.TestFramework;
using TimingMat.Core.Board;
using TimingMat.Device.Adapters;
using TimingMat.Device.BringUp;

namespace TimingMat.Device.Tests
{
    /// <summary>
    /// How late the managed PPS handler runs on this board and firmware: drives a pulse into the PPS input through a
    /// jumper and prints the latency histogram the mat clock's filter is designed around (0.1–25 ms).
    /// </summary>
    [TestClass]
    public class PpsCaptureTests
    {
        private const int Pulses = 200;
        private const long TimeoutMicros = 100000;

        // Bucket upper bounds in µs; the last bucket holds everything at or above 25 ms.
        private static readonly long[] s_bucketLimits = new long[] { 1000, 2000, 5000, 10000, 25000 };

        private static GpioController s_gpio;
        private static GpioPin s_drive;
        private static GpioPpsSource s_pps;
        private static int s_ppsPin;
        private static int s_drivePin;

        [Setup]
        public void OpenLoopback()
        {
            bool usedDefault;
            BoardProfile board = BoardConfigLoader.Load(out usedDefault);
            s_ppsPin = board.PpsPin;
            s_drivePin = board.BenchPpsDrivePin;
            if (s_drivePin < 0)
            {
                return;
            }

            s_gpio = new GpioController();
            s_drive = s_gpio.OpenPin(s_drivePin, PinMode.Output);
            s_drive.Write(PinValue.Low);
            s_pps = new GpioPpsSource(s_gpio, board.PpsPin);
        }

        [TestMethod]
        public void PpsCapture_LatencyHistogram_StaysUnderDesignLimit()
        {
            if (s_drivePin < 0)
            {
                Assert.SkipTest("The board profile names no bench.pps_drive pin.");
            }

            int[] histogram = new int[s_bucketLimits.Length + 1];
            int captured = 0;
            long worst = 0;
            for (int i = 0; i < Pulses; i++)
            {
                long raised = (long)HighResTimer.GetCurrent();
                s_drive.Write(PinValue.High);
                long edge;
                while (!s_pps.TryTakeEdge(out edge))
                {
                    if ((long)HighResTimer.GetCurrent() - raised > TimeoutMicros)
                    {
                        edge = -1;
                        break;
                    }

                    Thread.Sleep(1);
                }

                s_drive.Write(PinValue.Low);
                if (edge >= 0)
                {
                    long latency = edge - raised;
                    captured++;
                    worst = latency > worst ? latency : worst;
                    int bucket = 0;
                    while (bucket < s_bucketLimits.Length && latency >= s_bucketLimits[bucket])
                    {
                        bucket++;
                    }

                    histogram[bucket]++;
                }

                // Vary the phase against the 20 ms thread time slice so the histogram sees its whole spread.
                Thread.Sleep(20 + ((i * 7) % 13));
            }

            if (captured == 0)
            {
                Assert.SkipTest("No PPS edge captured: jumper GPIO " + s_drivePin.ToString() + " to the PPS input GPIO " + s_ppsPin.ToString() + ".");
            }

            OutputHelper.WriteLine("PPS handler latency over " + captured.ToString() + " pulses (max " + worst.ToString() + " us):");
            for (int b = 0; b < histogram.Length; b++)
            {
                string label = b < s_bucketLimits.Length ? "< " + (s_bucketLimits[b] / 1000).ToString() + " ms" : ">= 25 ms";
                OutputHelper.WriteLine("  " + label + ": " + histogram[b].ToString());
            }

            Assert.AreEqual(Pulses, captured, "PPS edges were lost");
            Assert.AreEqual(0, s_pps.DroppedEdges, "the capture ring overflowed");
            Assert.IsTrue(worst < 25000, "worst PPS handler latency " + worst.ToString() + " us exceeds the 25 ms the mat clock is designed for");
        }
    }
}
