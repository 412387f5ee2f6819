namespace TimingMat.Emulators.Tests.Reader;

/// <summary>EPCs for the reader emulators' tests: 96-bit race chips numbered from 1.</summary>
internal static class TestChips
{
    public static byte[] Epc(int n) => [0xE2, 0x00, 0x00, 0x17, 0x22, 0x09, 0x01, 0x23, (byte)(n >> 24), (byte)(n >> 16), (byte)(n >> 8), (byte)n];
}
