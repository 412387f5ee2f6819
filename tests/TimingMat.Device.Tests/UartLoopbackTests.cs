using System.Threading;
using nanoFramework.Hardware.Esp32;
using nanoFramework.TestFramework;
using TimingMat.Core.Board;
using TimingMat.Device.Adapters;
using TimingMat.Device.BringUp;

namespace TimingMat.Device.Tests
{
    /// <summary>
    /// The reader UART at 115200 baud moves bytes without loss through the adapter the core uses: a jumper from the
    /// reader UART's TX to its RX (reader module unplugged) echoes a 1 KiB pattern back.
    /// </summary>
    [TestClass]
    public class UartLoopbackTests
    {
        private const int PatternBytes = 1024;
        private const long TimeoutMicros = 2000000;

        private static SerialBytePort s_port;
        private static UartPins s_pins;

        [Setup]
        public void OpenReaderUart()
        {
            bool usedDefault;
            BoardProfile board = BoardConfigLoader.Load(out usedDefault);
            s_pins = new UartPins(board.Reader.Port, board.Reader.RxPin, board.Reader.TxPin, 115200);
            s_port = new SerialBytePort(s_pins, 4096);
            s_port.Open();
        }

        [TestMethod]
        public void ReaderUart_Loopback115200_EchoesEveryByte()
        {
            byte[] sent = new byte[PatternBytes];
            for (int i = 0; i < sent.Length; i++)
            {
                // A pattern with every byte value, including 0xFF and 0xA0 (the reader protocols' frame headers).
                sent[i] = (byte)((i * 151) + (i >> 8));
            }

            s_port.DiscardInput();
            s_port.Write(sent, 0, sent.Length);
            byte[] received = new byte[PatternBytes];
            int count = 0;
            long start = (long)HighResTimer.GetCurrent();
            while (count < received.Length && (long)HighResTimer.GetCurrent() - start < TimeoutMicros)
            {
                count += s_port.Read(received, count, received.Length - count);
                Thread.Sleep(2);
            }

            if (count == 0)
            {
                Assert.SkipTest("Nothing echoed: jumper GPIO " + s_pins.TxPin.ToString() + " (TX) to GPIO " + s_pins.RxPin.ToString() + " (RX) and unplug the reader.");
            }

            Assert.AreEqual(PatternBytes, count, "bytes lost at 115200 baud");
            for (int i = 0; i < PatternBytes; i++)
            {
                Assert.AreEqual(sent[i], received[i], "byte " + i.ToString() + " corrupted");
            }
        }
    }
}
