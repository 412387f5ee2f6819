using System.Text;

namespace TimingMat.Emulators.Gps;

/// <summary>Builds NMEA 0183 sentences as a receiver sends them: <c>$</c>, body, <c>*</c>, XOR checksum in two upper-case hex digits, CR LF.</summary>
public static class NmeaFormat
{
    /// <summary>Gives the checksum of a sentence body: the XOR of every character between <c>$</c> and <c>*</c>.</summary>
    /// <param name="body">The body, e.g. <c>GPZDA,035751.00,18,04,2007,00,00</c>.</param>
    /// <returns>The checksum byte.</returns>
    public static byte Checksum(string body)
    {
        byte sum = 0;
        foreach (var c in body)
        {
            sum ^= (byte)c;
        }

        return sum;
    }

    /// <summary>Frames a sentence body.</summary>
    /// <param name="body">The body without <c>$</c> and checksum, ASCII.</param>
    /// <returns>The bytes on the wire, e.g. <c>$GPZDA,035751.00,18,04,2007,00,00*6B\r\n</c>.</returns>
    public static byte[] Sentence(string body) => Encoding.ASCII.GetBytes($"${body}*{Checksum(body):X2}\r\n");
}
