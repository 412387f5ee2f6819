namespace TimingMat.Core.Tests.Reader;

/// <summary>Hex fixtures as the protocol reference prints them ("FF 00 03 1D 0C").</summary>
internal static class Hex
{
    public static byte[] Bytes(string text) => Convert.FromHexString(text.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal));

    public static string Of(byte[] bytes, int offset, int count) => string.Join(' ', bytes.Skip(offset).Take(count).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    public static string Of(byte[] bytes) => Of(bytes, 0, bytes.Length);
}
