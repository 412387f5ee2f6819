namespace TimingMat.Core.Crossings
{
    /// <summary>
    /// Numbers an antenna across the whole mat when a unit has several reader modules: a passing's best antenna is one
    /// byte, and it must still say which module's port saw the chip strongest.
    /// </summary>
    internal static class MatAntenna
    {
        /// <summary>How far apart the numbers of two readers' ports are: reader 1's port 1 is 17.</summary>
        public const int PortsPerReader = 16;

        /// <summary>
        /// Numbers a reader's port across the mat, 1-based: the port as it is for reader 0 (a one-module unit reports its
        /// ports unchanged), reader index × 16 + port for the others.
        /// </summary>
        /// <param name="readerIndex">Reader, 0–15.</param>
        /// <param name="antenna">Port on that reader, 1-based.</param>
        /// <returns>The mat antenna, 0–255 (saturated at 255).</returns>
        public static int Of(int readerIndex, int antenna)
        {
            // Reader 0's ports keep their own numbers: 0 × 16 + port.
            int mat = (readerIndex * PortsPerReader) + antenna;
            return mat < 0 ? 0 : (mat > 255 ? 255 : mat);
        }
    }
}
