using nanoFramework.TestFramework;
using TimingMat.Device.Adapters;

namespace TimingMat.Device.Tests
{
    /// <summary>
    /// Records flushed to internal flash survive a power cycle. The test runs twice: the first run writes a record
    /// and asks for a power cycle; every later run verifies all records written before and adds one more.
    /// </summary>
    [TestClass]
    public class JournalFileRebootTests
    {
        private const int RecordBytes = 32;

        [TestMethod]
        public void FlushedRecords_SurvivePowerCycle()
        {
            FlashFileStore store = new FlashFileStore("I:\\");
            long length = store.GetLength(BenchFixture.RebootFileName);
            Assert.AreEqual(0, (int)(length % RecordBytes), "the file ends in a torn record");

            int records = (int)(length / RecordBytes);
            byte[] record = new byte[RecordBytes];
            for (int r = 0; r < records; r++)
            {
                int n = store.Read(BenchFixture.RebootFileName, (long)r * RecordBytes, record, 0, RecordBytes);
                Assert.AreEqual(RecordBytes, n, "record " + r.ToString() + " is short");
                byte[] expected = Record(r);
                for (int i = 0; i < RecordBytes; i++)
                {
                    Assert.AreEqual(expected[i], record[i], "record " + r.ToString() + " byte " + i.ToString() + " changed across a reboot");
                }
            }

            byte[] next = Record(records);
            store.Append(BenchFixture.RebootFileName, next, 0, next.Length);
            store.Flush(BenchFixture.RebootFileName);

            if (records == 0)
            {
                Assert.SkipTest("First run: record 0 written and flushed. Power-cycle the board (unplug it) and run the tests again.");
            }

            OutputHelper.WriteLine(records.ToString() + " record(s) survived power cycles; record " + records.ToString() + " added.");
        }

        private static byte[] Record(int sequence)
        {
            byte[] record = new byte[RecordBytes];
            for (int i = 0; i < RecordBytes - 4; i++)
            {
                record[i] = (byte)((sequence * 31) + (i * 7));
            }

            record[RecordBytes - 4] = (byte)sequence;
            record[RecordBytes - 3] = (byte)(sequence >> 8);
            record[RecordBytes - 2] = (byte)(sequence >> 16);
            record[RecordBytes - 1] = (byte)(sequence >> 24);
            return record;
        }
    }
}
