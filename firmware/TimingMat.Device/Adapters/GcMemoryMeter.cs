using TimingMat.Core.Hardware;

namespace TimingMat.Device.Adapters
{
    /// <summary>The free managed heap from <c>nanoFramework.Runtime.Native.GC.Run(false)</c>, for the unit's status.</summary>
    /// <remarks>
    /// <c>Run(false)</c> collects without compacting and returns the free bytes; the status asks every few seconds, so the
    /// collection it triggers is one the heap would have run soon anyway, never a compaction on the timing thread.
    /// </remarks>
    public sealed class GcMemoryMeter : IMemoryMeter
    {
        /// <inheritdoc />
        public long ReadFreeBytes()
        {
            return nanoFramework.Runtime.Native.GC.Run(false);
        }
    }
}
