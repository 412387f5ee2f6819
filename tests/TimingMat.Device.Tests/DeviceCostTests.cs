using nanoFramework.TestFramework;
using TimingMat.Core.Clock;
using TimingMat.Core.Crossings;
using TimingMat.Core.Journal;
using TimingMat.Core.Passings;
using TimingMat.Core.Reader;
using TimingMat.Core.Reader.Mercury;
using TimingMat.Device.Adapters;

namespace TimingMat.Device.Tests
{
    /// <summary>
    /// Times the core's hot path on the board, so the first bench board turns the calibration range of
    /// <c>timingmat bench device</c> into a number (firmware/TimingMat.Device/README.md, "On-target calibration"): a
    /// recorded M6e read stream (the bench's m6e workload: 12-byte EPCs, standard metadata, chips crossing 50 ms apart
    /// with a peaked signal) goes through decode (deframer, CRC-16, parser), the crossing detector with its peak fits,
    /// and the journal's record framing (body, CRC-32), timed with the µs timer.
    /// </summary>
    /// <remarks>
    /// nanoFramework's <c>Stopwatch</c> counts in 10 ms steps (<c>Environment.TickCount64</c>); this stopwatch is the
    /// ESP32's 1 µs <c>HighResTimer</c>, the clock the unit itself runs on. The figures are printed, not asserted
    /// against a time: speed targets live in the bench, not in tests.
    /// </remarks>
    [TestClass]
    public class DeviceCostTests
    {
        private const int Chips = 200;
        private const int ReadsPerChip = 13;
        private const int FrameBytes = 41;
        private const long ChipSpacingMicros = 50000;
        private const long ReadSpacingMicros = 40000;

        [TestMethod]
        public void ReadPath_MicrosPerRead_PerCrossing_PerPassing()
        {
            byte[] stream = RecordStream();
            HighResMicrosecondClock stopwatch = new HighResMicrosecondClock();
            FramingSink journal = new FramingSink();
            CrossingSettings settings = new CrossingSettings();
            CrossingDetector detector = new CrossingDetector(settings, new LocalTime(), journal);
            MercuryDeframer deframer = new MercuryDeframer(false);
            DecodeSink decode = new DecodeSink(detector);
            deframer.Sink = decode;

            // Decode and detector, 64-byte chunks as a UART delivers them; the detector polled every 10 ms of read time.
            long decodeMicros = 0;
            long pollMicros = 0;
            long nextPoll = 0;
            for (int offset = 0; offset < stream.Length; offset += 64)
            {
                long started = stopwatch.GetMicroseconds();
                deframer.Feed(stream, offset, stream.Length - offset < 64 ? stream.Length - offset : 64);
                decodeMicros += stopwatch.GetMicroseconds() - started;
                if (decode.LastReadMicros >= nextPoll)
                {
                    started = stopwatch.GetMicroseconds();
                    detector.Poll(decode.LastReadMicros);
                    pollMicros += stopwatch.GetMicroseconds() - started;
                    nextPoll = decode.LastReadMicros + 10000;
                }
            }

            long end = decode.LastReadMicros + 2000000;
            long closing = stopwatch.GetMicroseconds();
            for (long t = decode.LastReadMicros; t <= end; t += 10000)
            {
                detector.Poll(t);
            }

            pollMicros += stopwatch.GetMicroseconds() - closing;

            Assert.AreEqual(Chips * ReadsPerChip, (int)decode.Reads, "every recorded read decoded");
            Assert.AreEqual(0, (int)deframer.CrcErrors, "the recorded stream is clean");
            Assert.AreEqual(Chips, (int)detector.PassingsDelivered, "one passing per chip");
            Assert.AreEqual(0, (int)detector.FitFallbacks, "every crossing fitted");

            long readMicros = decodeMicros + decode.DetectorMicros;
            OutputHelper.WriteLine("reads " + decode.Reads.ToString() + ", crossings " + detector.PassingsDelivered.ToString());
            OutputHelper.WriteLine("us per read: " + Per(readMicros, decode.Reads) + " (decode " + Per(decodeMicros - decode.DetectorMicros, decode.Reads) + ", detector " + Per(decode.DetectorMicros, decode.Reads) + ")");
            OutputHelper.WriteLine("us per crossing (polls, fits, closes): " + Per(pollMicros - journal.Micros, detector.PassingsDelivered));
            OutputHelper.WriteLine("us per passing (journal record: body and CRC-32): " + Per(journal.Micros, journal.Records));
        }

        private static string Per(long micros, long count)
        {
            return count <= 0 ? "-" : ((micros * 10) / count / 10).ToString() + "." + (((micros * 10) / count) % 10).ToString();
        }

        // The bench's m6e stream: 0x22 frames with metadata 0x001F (read count, RSSI, antenna, frequency, timestamp),
        // each chip read 13 times 40 ms apart, its RSSI peaking in the middle, chips starting 50 ms apart.
        private static byte[] RecordStream()
        {
            byte[] stream = new byte[Chips * ReadsPerChip * FrameBytes];
            int[] order = new int[Chips * ReadsPerChip];
            long[] times = new long[Chips * ReadsPerChip];
            int n = 0;
            for (int chip = 0; chip < Chips; chip++)
            {
                for (int r = 0; r < ReadsPerChip; r++)
                {
                    times[n] = (chip * ChipSpacingMicros) + (r * ReadSpacingMicros);
                    order[n] = (chip * ReadsPerChip) + r;
                    n++;
                }
            }

            // Reads in time order (insertion sort: the chips' reads interleave).
            for (int i = 1; i < n; i++)
            {
                long t = times[i];
                int o = order[i];
                int j = i - 1;
                while (j >= 0 && times[j] > t)
                {
                    times[j + 1] = times[j];
                    order[j + 1] = order[j];
                    j--;
                }

                times[j + 1] = t;
                order[j + 1] = o;
            }

            for (int i = 0; i < n; i++)
            {
                int chip = order[i] / ReadsPerChip;
                int r = order[i] % ReadsPerChip;
                int distance = r - (ReadsPerChip / 2);
                int rssiDbm = -45 - (distance * distance);
                WriteFrame(stream, i * FrameBytes, chip, rssiDbm, times[i] / 1000);
            }

            return stream;
        }

        private static void WriteFrame(byte[] b, int at, int chip, int rssiDbm, long timestampMs)
        {
            int p = at + 5;
            b[p++] = MercuryTagParser.OptionMetadata;
            b[p++] = 0x00;
            b[p++] = 0x1B;
            b[p++] = 0x00;
            b[p++] = 0x1F;
            b[p++] = 1;
            b[p++] = 1;
            b[p++] = (byte)rssiDbm;
            b[p++] = 0x11;
            b[p++] = 0x0D;
            b[p++] = 0x39;
            b[p++] = 0x4C;
            b[p++] = (byte)(timestampMs >> 24);
            b[p++] = (byte)(timestampMs >> 16);
            b[p++] = (byte)(timestampMs >> 8);
            b[p++] = (byte)timestampMs;
            b[p++] = 0x00;
            b[p++] = 0x80;
            b[p++] = 0x30;
            b[p++] = 0x00;
            b[p++] = 0x54;
            b[p++] = 0x4D;
            b[p++] = 0x30;
            b[p++] = 0x31;
            b[p++] = 0;
            b[p++] = 0;
            b[p++] = (byte)(chip >> 8);
            b[p++] = (byte)chip;
            b[p++] = 0;
            b[p++] = 1;
            b[p++] = 0;
            b[p++] = 0;
            b[p++] = 0x12;
            b[p++] = 0x34;
            MercuryCodec.SealResponse(b, at, MercuryOpcode.ReadTagIdMultiple, MercuryStatus.Ok, p - at - 5);
        }

        // Parses each frame into a read and hands it to the detector, timing the detector part on its own.
        private sealed class DecodeSink : IFrameSink
        {
            private readonly CrossingDetector _detector;
            private readonly MercuryTagRecord _record = new MercuryTagRecord();
            private readonly TagRead _read = new TagRead();
            private readonly HighResMicrosecondClock _stopwatch = new HighResMicrosecondClock();

            public DecodeSink(CrossingDetector detector)
            {
                _detector = detector;
            }

            public long Reads;

            public long DetectorMicros;

            public long LastReadMicros;

            public void OnFrame(byte[] buffer, int offset, int length)
            {
                if (!MercuryTagParser.ParseStreamed(buffer, offset, length, _record))
                {
                    return;
                }

                _record.CopyTo(_read);
                _read.LocalMicros = _record.Timestamp * 1000;
                LastReadMicros = _read.LocalMicros;
                Reads++;
                long started = _stopwatch.GetMicroseconds();
                _detector.OnTagRead(_read);
                DetectorMicros += _stopwatch.GetMicroseconds() - started;
            }
        }

        // The journal's per-passing work before the flash write: the body and the record's CRC-32 frame.
        private sealed class FramingSink : IPassingSink
        {
            private readonly byte[] _frame = new byte[JournalFrame.MaxBytes];
            private readonly HighResMicrosecondClock _stopwatch = new HighResMicrosecondClock();

            public long Records;

            public long Micros;

            public bool TryAccept(Passing passing)
            {
                long started = _stopwatch.GetMicroseconds();
                int body = PassingBody.Write(passing, _frame, JournalFrame.BodyOffset);
                JournalFrame.Seal(_frame, Records + 1, body);
                Micros += _stopwatch.GetMicroseconds() - started;
                Records++;
                return true;
            }
        }

        private sealed class LocalTime : IMatTimeSource
        {
            public MatTime ToMatTime(long localMicros)
            {
                return new MatTime(localMicros, ClockState.Locked, 0);
            }
        }
    }
}
