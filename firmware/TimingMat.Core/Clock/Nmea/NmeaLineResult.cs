namespace TimingMat.Core.Clock.Nmea
{
    /// <summary>What the parser made of one line of a GPS serial stream; the parser counts each outcome.</summary>
    public enum NmeaLineResult
    {
        /// <summary>No line ended with this byte.</summary>
        None = 0,

        /// <summary>An RMC, GGA or ZDA sentence from a GNSS talker, checksum and fields valid.</summary>
        Accepted = 1,

        /// <summary>A valid sentence the clock does not use (GSV, GSA, VTG, TXT, proprietary <c>$P…</c>).</summary>
        Unsupported = 2,

        /// <summary>Bytes outside any sentence, or non-printable bytes inside one (binary protocol, wrong baud rate).</summary>
        Garbage = 3,

        /// <summary>A sentence cut short: a new <c>$</c> or the end of input came before its checksum was complete.</summary>
        Truncated = 4,

        /// <summary>Longer than the 130 characters any receiver sends (gpsd's limit): a lost line end merged two sentences.</summary>
        OverLong = 5,

        /// <summary>A sentence without the <c>*hh</c> checksum.</summary>
        NoChecksum = 6,

        /// <summary>The checksum does not match (a corrupted byte) or is not two hex digits.</summary>
        BadChecksum = 7,

        /// <summary>A supported sentence type from a talker that is not a GNSS (e.g. <c>$IIRMC</c>).</summary>
        UnknownTalker = 8,

        /// <summary>A supported sentence whose fields are missing or out of range (hour 25, 31 April, status X).</summary>
        BadField = 9,
    }
}
