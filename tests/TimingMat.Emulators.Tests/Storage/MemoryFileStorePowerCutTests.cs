using TimingMat.Emulators.Storage;
using Xunit;

namespace TimingMat.Emulators.Tests.Storage;

public class MemoryFileStorePowerCutTests
{
    [Fact]
    public void CutInsideAnAppend_TearsItAtThatByte_AndEverythingAfterwardsThrows()
    {
        var store = new MemoryFileStore(tearSeed: 1);
        store.Append("f", [1, 2, 3], 0, 3);
        store.Flush("f");
        store.ArmCut(2);

        Assert.Throws<PowerCutException>(() => store.Append("f", [4, 5, 6, 7], 0, 4));
        Assert.False(store.IsPowered);
        Assert.Throws<PowerCutException>(() => store.GetLength("f"));
        store.Restore();

        var bytes = store.Snapshot("f");
        Assert.InRange(bytes.Length, 3, 5);
        Assert.Equal(new byte[] { 1, 2, 3 }, bytes[..3]);
        Assert.Equal(1, store.Cuts);
    }

    [Fact]
    public void FlushedBytesAlwaysSurvive_UnflushedOnesSometimesDoAndSometimesAreGarbled()
    {
        var kept = 0;
        var garbled = 0;
        for (var seed = 0; seed < 200; seed++)
        {
            var store = new MemoryFileStore(tearSeed: seed);
            store.Append("f", [9, 9], 0, 2);
            store.Flush("f");
            var tail = Enumerable.Range(1, 40).Select(i => (byte)i).ToArray();
            store.Append("f", tail, 0, tail.Length);
            Assert.Throws<PowerCutException>(store.CutPowerNow);
            store.Restore();

            var bytes = store.Snapshot("f");
            Assert.Equal(new byte[] { 9, 9 }, bytes[..2]);
            kept += bytes.Length > 2 ? 1 : 0;
            garbled += bytes.Length > 2 && !bytes[2..].SequenceEqual(tail[..(bytes.Length - 2)]) ? 1 : 0;
        }

        Assert.InRange(kept, 150, 200);
        Assert.InRange(garbled, 40, 150);
    }
}
