namespace TimingMat.Core.Hardware
{
    /// <summary>
    /// The free managed heap, for the unit's status: <c>nanoFramework.Runtime.Native.GC.Run(false)</c> on the board
    /// (it returns the free bytes without compacting); a desktop host has no meaningful figure and passes none.
    /// </summary>
    public interface IMemoryMeter
    {
        /// <summary>Measures the free heap.</summary>
        /// <returns>Free bytes.</returns>
        long ReadFreeBytes();
    }
}
