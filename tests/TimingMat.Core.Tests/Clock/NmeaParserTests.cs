using System.Text;
using TimingMat.Core.Clock.Nmea;
using Xunit;

namespace TimingMat.Core.Tests.Clock;

public class NmeaParserTests
{
    private readonly NmeaParser _parser = new();

    // The checksum test vectors of protocols.md §3.1.
    [Theory]
    [InlineData("$GPZDA,035751.00,18,04,2007,00,00*6B", NmeaSentenceType.Zda, NmeaTalker.Gps)]
    [InlineData("$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A", NmeaSentenceType.Rmc, NmeaTalker.Gps)]
    [InlineData("$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47", NmeaSentenceType.Gga, NmeaTalker.Gps)]
    [InlineData("$GPRMC,184804.00,A,3723.476543,N,12202.239745,W,000.0,0.0,051196,15.6,E*7C", NmeaSentenceType.Rmc, NmeaTalker.Gps)]
    [InlineData("$GNZDA,223120.090,23,06,2019,,*4C", NmeaSentenceType.Zda, NmeaTalker.Gnss)]
    public void ReferenceVectors_AreAccepted(string sentence, NmeaSentenceType type, NmeaTalker talker)
    {
        Assert.Equal(NmeaLineResult.Accepted, Line(sentence));
        Assert.Equal(type, _parser.Sentence.Type);
        Assert.Equal(talker, _parser.Sentence.Talker);
        Assert.True(_parser.Sentence.HasTime);
    }

    [Fact]
    public void TrimbleZdaWithItsPrintedChecksum_IsABadChecksum()
    {
        // protocols.md: the checksum of this published example really is 57, not 45.
        Assert.Equal(NmeaLineResult.BadChecksum, Line("$GPZDA,172809.456,12,07,1996,00,00*45"));
        Assert.Equal(NmeaLineResult.Accepted, Line("$GPZDA,172809.456,12,07,1996,00,00*57"));
        Assert.Equal(1, _parser.CountOf(NmeaLineResult.BadChecksum));
    }

    [Fact]
    public void Rmc_DecodesTimeDateStatusAndMode()
    {
        Assert.Equal(NmeaLineResult.Accepted, Line("$GNRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A*49"));

        var s = _parser.Sentence;
        Assert.Equal((8, 35, 59, 0, 2), (s.Hour, s.Minute, s.Second, s.SubsecondMicros, s.FractionDigits));
        Assert.Equal((2002, 12, 9), (s.Year, s.Month, s.Day));
        Assert.True(s.HasDate);
        Assert.Equal('A', s.Status);
        Assert.Equal('A', s.Mode);
        Assert.True(s.HasFix);
        Assert.Equal((8 * 3600) + (35 * 60) + 59, s.SecondOfDay);
        Assert.Equal(new DateTime(2002, 12, 9, 0, 0, 0, DateTimeKind.Utc).Subtract(DateTime.UnixEpoch).Days, s.DayNumber);
    }

    [Fact]
    public void ZdaFraction_IsKeptInMicroseconds()
    {
        Assert.Equal(NmeaLineResult.Accepted, Line("$GNZDA,223120.090,23,06,2019,,*4C"));

        Assert.Equal(90_000, _parser.Sentence.SubsecondMicros);
        Assert.Equal(3, _parser.Sentence.FractionDigits);
        Assert.Equal((2019, 6, 23), (_parser.Sentence.Year, _parser.Sentence.Month, _parser.Sentence.Day));
        Assert.False(_parser.Sentence.CarriesFix);
    }

    [Fact]
    public void Gga_DecodesQualityAndSatellites()
    {
        Assert.Equal(NmeaLineResult.Accepted, Line(Frame("GNGGA,083559.00,4717.11437,N,00833.91522,E,2,11,1.01,499.6,M,48.0,M,,")));

        Assert.Equal(2, _parser.Sentence.FixQuality);
        Assert.Equal(11, _parser.Sentence.Satellites);
        Assert.True(_parser.Sentence.HasFix);
        Assert.False(_parser.Sentence.HasDate);
    }

    [Theory]
    [InlineData("GNRMC,083559.00,V,,,,,,,091202,,,N")]
    [InlineData("GNRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,N")]
    [InlineData("GNRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,E")]
    [InlineData("GNGGA,083559.00,,,,,0,03,25.5,,,,,,")]
    [InlineData("GNGGA,083559.00,4717.11437,N,00833.91522,E,6,05,2.0,499.6,M,48.0,M,,")]
    public void StatusV_ModeN_QualityZeroOrEstimated_AreAcceptedWithoutFix(string body)
    {
        Assert.Equal(NmeaLineResult.Accepted, Line(Frame(body)));

        Assert.True(_parser.Sentence.CarriesFix);
        Assert.False(_parser.Sentence.HasFix);
    }

    [Theory]
    [InlineData("GNRMC,,V,,,,,,,,,,N")]
    [InlineData("GNGGA,,,,,,0,00,99.99,,,,,,")]
    [InlineData("GNZDA,,,,,00,00")]
    public void EmptyTimeAndDateFields_BeforeTheReceiverKnowsThem_AreAcceptedWithoutTime(string body)
    {
        Assert.Equal(NmeaLineResult.Accepted, Line(Frame(body)));

        Assert.False(_parser.Sentence.HasTime);
        Assert.False(_parser.Sentence.HasDate);
    }

    [Theory]
    [InlineData("GPRMC", NmeaTalker.Gps)]
    [InlineData("GNRMC", NmeaTalker.Gnss)]
    [InlineData("GLRMC", NmeaTalker.Glonass)]
    [InlineData("GARMC", NmeaTalker.Galileo)]
    [InlineData("BDRMC", NmeaTalker.BeiDou)]
    [InlineData("GBRMC", NmeaTalker.BeiDouGb)]
    public void EveryGnssTalker_IsAccepted(string address, NmeaTalker talker)
    {
        Assert.Equal(NmeaLineResult.Accepted, Line(Frame(address + ",083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A")));
        Assert.Equal(talker, _parser.Sentence.Talker);
    }

    [Theory]
    [InlineData("IIRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A", NmeaLineResult.UnknownTalker)]
    [InlineData("GQRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A", NmeaLineResult.UnknownTalker)]
    [InlineData("GPGSV,3,1,11,02,48,298,24,05,23,047,31,10,10,185,17,12,36,112,30", NmeaLineResult.Unsupported)]
    [InlineData("GNVTG,77.52,T,,M,0.004,N,0.008,K,A", NmeaLineResult.Unsupported)]
    [InlineData("PUBX,04,073731.00,091202,113851.00,1196,15D,1930035,-2660.664,43", NmeaLineResult.Unsupported)]
    [InlineData("GPTXT,01,01,02,u-blox AG - www.u-blox.com", NmeaLineResult.Unsupported)]
    public void OtherTalkersAndSentences_AreCountedNotDecoded(string body, NmeaLineResult expected)
    {
        Assert.Equal(expected, Line(Frame(body)));
        Assert.Equal(1, _parser.CountOf(expected));
        Assert.Equal(0, _parser.Accepted);
    }

    [Theory]
    [InlineData("GNRMC,253559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A")] // hour 25
    [InlineData("GNRMC,086059.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A")] // minute 60
    [InlineData("GNRMC,120060.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A")] // :60 is only 23:59:60
    [InlineData("GNRMC,083559.00,X,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A")] // status X
    [InlineData("GNRMC,083559.00,,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A")] // no status
    [InlineData("GNRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,310402,,,A")] // 31 April
    [InlineData("GNRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,290223,,,A")] // 29 Feb 2023
    [InlineData("GNRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,09122,,,A")] // 5-digit date
    [InlineData("GNRMC,0835.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A")] // short time
    [InlineData("GNRMC,083559.,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A")] // dot, no digits
    [InlineData("GNRMC,083559.0x,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A")] // letter in fraction
    [InlineData("GNRMC,083559.00,A,4717.11437,N")] // fields missing
    [InlineData("GNGGA,083559.00,4717.11437,N,00833.91522,E,9,08,1.01,499.6,M,48.0,M,,")] // quality 9
    [InlineData("GNGGA,083559.00,4717.11437,N,00833.91522,E,12,08,1.01,499.6,M,48.0,M,,")] // two-digit quality
    [InlineData("GNGGA,083559.00,4717.11437,N,00833.91522,E,1,123,1.01,499.6,M,48.0,M,,")] // 3-digit satellites
    [InlineData("GNZDA,083559.00,09,12,,00,00")] // half a date
    [InlineData("GNZDA,083559.00,09,12,26,00,00")] // 2-digit year in ZDA
    [InlineData("GNZDA,083559.00,32,12,2026,00,00")] // day 32
    [InlineData("GNZDA,083559.00,09,12,2026,x1,00")] // zone not a number
    public void OutOfRangeOrMissingFields_AreBadFields(string body)
    {
        Assert.Equal(NmeaLineResult.BadField, Line(Frame(body)));
        Assert.Equal(NmeaSentenceType.None, _parser.Sentence.Type);
    }

    [Fact]
    public void DgpsGgaOf84Characters_IsAccepted_WithTimeFixAndPosition()
    {
        // A GGA with DGPS age and station fields, as receivers send it: 84 characters with CR LF (NMEA 0183 says 82).
        const string line = "$GPGGA,202640.000,4404.1306,N,12118.8515,W,2,10,0.98,1127.7,M,-19.6,M,0000,0000*6C";
        Assert.Equal(84, line.Length + 2);

        Assert.Equal(NmeaLineResult.Accepted, Line(line));

        var s = _parser.Sentence;
        Assert.Equal((20, 26, 40, 0, 3), (s.Hour, s.Minute, s.Second, s.SubsecondMicros, s.FractionDigits));
        Assert.Equal((2, 10), (s.FixQuality, s.Satellites));
        Assert.True(s.HasFix);
        Assert.True(_parser.HasPosition);
        Assert.Equal(44_068_843, _parser.LatitudeMicrodegrees); // 44° 04.1306' N
        Assert.Equal(-121_314_192, _parser.LongitudeMicrodegrees); // 121° 18.8515' W
        Assert.Equal(11_277, _parser.AltitudeDecimetres);
    }

    [Theory]
    [InlineData("GNGGA,092725.00,4717.1136893,N,00833.9158237,E,4,12,0.52,499.6123,M,48.0,M,1.0,0000", 89)] // u-blox high-precision NMEA: 7 decimals of minutes
    [InlineData("GNGGA,151924.00,5109.02622,N,11401.8407338,W,4,24,0.5,1097.36,M,-17.00,M,1.0,0001", 87)] // RTK fixed, NovAtel-style
    [InlineData("GPGGA,134658.00,5106.97921043,N,11402.30032611,W,5,28,0.6,1048.4712,M,-16.27,M,2.0,0123", 93)] // RTK float, 8 decimals
    public void RtkAndHighPrecisionGga_Of87To93Characters_AreAccepted(string body, int length)
    {
        var line = Frame(body);
        Assert.Equal(length, line.Length + 2);

        Assert.Equal(NmeaLineResult.Accepted, Line(line));

        Assert.True(_parser.Sentence.HasFix);
        Assert.True(_parser.HasPosition);
    }

    [Fact]
    public void HighPrecisionCoordinates_KeepMicrodegrees()
    {
        Assert.Equal(NmeaLineResult.Accepted, Line(Frame("GNGGA,092725.00,4717.1136893,N,00833.9158237,E,4,12,0.52,499.6123,M,48.0,M,1.0,0000")));

        Assert.Equal(47_285_228, _parser.LatitudeMicrodegrees); // 47 + 17.1136893 / 60
        Assert.Equal(8_565_264, _parser.LongitudeMicrodegrees); // 8 + 33.9158237 / 60
        Assert.Equal(4_996, _parser.AltitudeDecimetres);
    }

    [Fact]
    public void GgaWithAnEmptyFixQuality_GivesItsTime_ButNoFixNorPosition()
    {
        Assert.Equal(NmeaLineResult.Accepted, Line(Frame("GPGGA,083559.00,4717.11437,N,00833.91522,E,,08,1.01,499.6,M,48.0,M,,")));

        var s = _parser.Sentence;
        Assert.True(s.HasTime);
        Assert.Equal((8 * 3600) + (35 * 60) + 59, s.SecondOfDay);
        Assert.Equal(NmeaSentence.NotGiven, s.FixQuality);
        Assert.False(s.CarriesFix);
        Assert.False(s.HasFix);
        Assert.False(_parser.HasPosition);
    }

    [Fact]
    public void Position_ComesFromFixedRmcToo_AndNotFromSentencesWithoutAFix()
    {
        Assert.Equal(NmeaLineResult.Accepted, Line("$GNRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A*49"));
        Assert.Equal((47_285_240, 8_565_254), (_parser.LatitudeMicrodegrees, _parser.LongitudeMicrodegrees));

        Assert.Equal(NmeaLineResult.Accepted, Line(Frame("GNGGA,083600.00,1000.00000,S,02000.00000,W,0,03,25.5,10.0,M,48.0,M,,")));
        Assert.Equal(NmeaLineResult.Accepted, Line(Frame("GNRMC,083600.00,V,1000.00000,S,02000.00000,W,,,091202,,,N")));

        Assert.Equal((47_285_240, 8_565_254), (_parser.LatitudeMicrodegrees, _parser.LongitudeMicrodegrees));
        Assert.Equal(0, _parser.AltitudeDecimetres);
    }

    [Theory]
    [InlineData("$GPGSV,3,1,11,03,03,111,00,04,15,270,00,06,01,010,00,13,06,292,00*00")]
    [InlineData("$GNGSA,A,3,80,71,73,79,69,,,,,,,,1.83,1.09,1.47*00")]
    [InlineData("$GPVTG,77.52,T,,M,0.004,N,0.008,K,A*00")]
    [InlineData("$GNGLL,4717.11364,N,00833.91565,E,092321.00,A,A*00")]
    [InlineData("$GNTXT,01,01,02,u-blox AG - www.u-blox.com*00")]
    [InlineData("$PUBX,00,081350.00,4717.113210,N*00")]
    public void SentencesTheClockDoesNotUse_AreJudgedByTheirAddress_BeforeTheirChecksum(string line)
    {
        // Issue 16: a u-blox's GSV, GSA, VTG, GLL and TXT are ~70 % of its bytes; their checksum pass is skipped
        // (the checksums here are all wrong, and the lines still count as unsupported, not rejected).
        Assert.Equal(NmeaLineResult.Unsupported, Line(line));
        Assert.Equal(0, _parser.Rejected);
    }

    [Fact]
    public void ADamagedRmcAddress_IsStillRejectedByItsChecksum()
    {
        // 'R' with bit 2 flipped is 'V': "GPVMC" is no sentence the parser skips by name, so its checksum judges it.
        Assert.Equal(NmeaLineResult.BadChecksum, Line("$GPVMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A*49"));
        Assert.Equal(1, _parser.Rejected);
    }

    [Fact]
    public void Position_ComesFromGga_WhileGgaComes_AndFromRmcAgainWhenItStops()
    {
        // Issue 16: the coordinates are parsed once a second, from GGA, not again from the RMC beside it.
        Assert.Equal(NmeaLineResult.Accepted, Line(Frame("GNGGA,083600.00,1000.00000,S,02000.00000,W,1,08,1.01,10.0,M,48.0,M,,")));
        Assert.Equal(NmeaLineResult.Accepted, Line("$GNRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A*49"));
        Assert.Equal((-10_000_000, -20_000_000), (_parser.LatitudeMicrodegrees, _parser.LongitudeMicrodegrees));

        // No GGA since that RMC: the next RMC gives the position.
        Assert.Equal(NmeaLineResult.Accepted, Line("$GNRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A*49"));
        Assert.Equal((47_285_240, 8_565_254), (_parser.LatitudeMicrodegrees, _parser.LongitudeMicrodegrees));

        // A GGA without a fix gives none, so the RMC after it does.
        Assert.Equal(NmeaLineResult.Accepted, Line(Frame("GNGGA,083601.00,1000.00000,S,02000.00000,W,0,03,25.5,10.0,M,48.0,M,,")));
        Assert.Equal(NmeaLineResult.Accepted, Line(Frame("GNRMC,083601.00,A,1000.00000,N,02000.00000,E,0.004,77.52,091202,,,A")));
        Assert.Equal((10_000_000, 20_000_000), (_parser.LatitudeMicrodegrees, _parser.LongitudeMicrodegrees));
    }

    [Fact]
    public void LeapSecond_2359_60_IsAccepted()
    {
        Assert.Equal(NmeaLineResult.Accepted, Line(Frame("GPZDA,235960.00,31,12,2016,00,00")));
        Assert.Equal(60, _parser.Sentence.Second);
        Assert.Equal(86_400, _parser.Sentence.SecondOfDay);
    }

    [Fact]
    public void LeapDay_IsAValidDate()
    {
        Assert.Equal(NmeaLineResult.Accepted, Line(Frame("GNRMC,000000.00,A,4717.11437,N,00833.91522,E,0.004,77.52,290228,,,A")));
        Assert.Equal((2028, 2, 29), (_parser.Sentence.Year, _parser.Sentence.Month, _parser.Sentence.Day));
    }

    [Fact]
    public void LowerCaseChecksumHex_IsAccepted()
    {
        Assert.Equal(NmeaLineResult.Accepted, Line("$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6a"));
    }

    [Theory]
    [InlineData("$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W", NmeaLineResult.NoChecksum)]
    [InlineData("$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6", NmeaLineResult.Truncated)]
    [InlineData("$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*", NmeaLineResult.Truncated)]
    [InlineData("$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6AB", NmeaLineResult.BadChecksum)]
    [InlineData("$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*G0", NmeaLineResult.BadChecksum)]
    [InlineData("$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,E*6A", NmeaLineResult.BadChecksum)]
    public void DamagedChecksums_AreRejectedByReason(string line, NmeaLineResult expected)
    {
        Assert.Equal(expected, Line(line));
    }

    [Fact]
    public void ANewDollar_CutsTheOpenSentenceShort_AndStartsCleanly()
    {
        var results = Push("$GNGGA,083559.00,4717.11$GPZDA,035751.00,18,04,2007,00,00*6B\r\n");

        Assert.Equal([NmeaLineResult.Truncated, NmeaLineResult.Accepted], results);
        Assert.Equal(NmeaSentenceType.Zda, _parser.Sentence.Type);
    }

    [Fact]
    public void ASentenceThatLostOnlyItsLineEnd_IsStillJudged()
    {
        var results = Push("$GPZDA,035751.00,18,04,2007,00,00*6B$GPZDA,035752.00,18,04,2007,00,00*68\r\n");

        Assert.Equal([NmeaLineResult.Accepted, NmeaLineResult.Accepted], results);
        Assert.Equal(52, _parser.Sentence.Second);
    }

    [Fact]
    public void LongerThan130Characters_IsOverLong_AndTheNextSentenceParses()
    {
        // 128 characters between '$' and CR LF: 131 with them.
        var body = "GPTXT,01,01,02," + new string('x', 128 - 3 - 15);
        var line = "$" + body + "*" + Checksum(body);
        Assert.Equal(131, line.Length + 2);

        var results = Push(line + "\r\n$GPZDA,035751.00,18,04,2007,00,00*6B\r\n");

        Assert.Equal([NmeaLineResult.OverLong, NmeaLineResult.Accepted], results);
    }

    [Fact]
    public void Exactly130Characters_IsNotOverLong()
    {
        var body = "GPTXT,01,01,02," + new string('x', 127 - 3 - 15);
        var line = "$" + body + "*" + Checksum(body);
        Assert.Equal(130, line.Length + 2);

        Assert.Equal(NmeaLineResult.Unsupported, Line(line));
    }

    [Fact]
    public void BinaryBytes_AreGarbage_AndCountedOncePerRun()
    {
        var bytes = new List<byte> { 0xB5, 0x62, 0x01, 0x21, 0x14, 0x00 };
        bytes.AddRange(Encoding.ASCII.GetBytes("$GPZDA,035751.00,18,04,2007,00,00*6B\r\n"));
        bytes.AddRange(Encoding.ASCII.GetBytes("$GPZDA,0357\u0001\u000251.00,18,04,2007,00,00*6B\r\n"));

        var results = bytes.Select(_parser.Push).Where(r => r != NmeaLineResult.None).ToList();

        Assert.Equal([NmeaLineResult.Garbage, NmeaLineResult.Accepted, NmeaLineResult.Garbage], results);
        Assert.Equal(2, _parser.CountOf(NmeaLineResult.Garbage));
        Assert.Equal(3, _parser.Lines);
        Assert.Equal(2, _parser.Rejected);
    }

    [Fact]
    public void EmptyLinesAndLoneLineEnds_AreNotCounted()
    {
        Assert.Empty(Push("\r\n\r\n\n\r"));
        Assert.Equal(0, _parser.Lines);
    }

    [Fact]
    public void Flush_JudgesTheOpenSentence()
    {
        Assert.Empty(Push("$GPZDA,035751.00,18,04,2007,00,00*6B"));
        Assert.Equal(NmeaLineResult.Accepted, _parser.Flush());

        Assert.Empty(Push("$GPZDA,0357"));
        Assert.Equal(NmeaLineResult.Truncated, _parser.Flush());
        Assert.Equal(NmeaLineResult.None, _parser.Flush());
    }

    [Fact]
    public void ResetCounts_ZeroesEveryCounter()
    {
        Push("$GPZDA,035751.00,18,04,2007,00,00*6B\r\nxx\r\n");
        _parser.ResetCounts();

        Assert.Equal(0, _parser.Lines);
        Assert.Equal(0, _parser.Accepted);
        Assert.Equal(0, _parser.CountOf(NmeaLineResult.Garbage));
    }

    [Fact]
    public void ReceiverLog_IsCountedLineByLine()
    {
        // A u-blox M8 at 9600 baud from cold: the capture starts mid-line, the receiver's banner, bursts without
        // time, with RTC time, then with a fix, UBX binary in between, and the damage a long cable does.
        var log = File.ReadAllBytes(RepoFiles.PathOf("tests", "TimingMat.Core.Tests", "Clock", "Fixtures", "ublox-m8-cold-start.nmea"));
        var accepted = new List<(NmeaSentenceType Type, bool Fix, int SecondOfDay)>();
        foreach (var b in log)
        {
            if (_parser.Push(b) == NmeaLineResult.Accepted)
            {
                accepted.Add((_parser.Sentence.Type, _parser.Sentence.HasFix, _parser.Sentence.HasTime ? _parser.Sentence.SecondOfDay : -1));
            }
        }

        Assert.Equal(NmeaLineResult.Truncated, _parser.Flush());
        Assert.Equal(50, _parser.Lines);
        Assert.Equal(16, _parser.Accepted);
        Assert.Equal(26, _parser.CountOf(NmeaLineResult.Unsupported));
        Assert.Equal(2, _parser.CountOf(NmeaLineResult.Garbage));
        Assert.Equal(2, _parser.CountOf(NmeaLineResult.Truncated));
        Assert.Equal(1, _parser.CountOf(NmeaLineResult.OverLong));
        Assert.Equal(1, _parser.CountOf(NmeaLineResult.NoChecksum));
        Assert.Equal(1, _parser.CountOf(NmeaLineResult.BadChecksum));
        Assert.Equal(1, _parser.CountOf(NmeaLineResult.BadField));
        Assert.Equal(6, accepted.Count(a => a.Type == NmeaSentenceType.Rmc));
        Assert.Equal(6, accepted.Count(a => a.Type == NmeaSentenceType.Gga));
        Assert.Equal(4, accepted.Count(a => a.Type == NmeaSentenceType.Zda));
        Assert.Equal(6, accepted.Count(a => a.Type != NmeaSentenceType.Zda && !a.Fix));
        Assert.Equal((8 * 3600) + (35 * 60) + 59, accepted.First(a => a.Fix).SecondOfDay);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(4096)]
    public void ChunkedPush_GivesTheSameLinesAndSentences_AsBytePush(int chunk)
    {
        // Every kind of line the byte form judges: accepted, proprietary, bad checksum, no checksum, binary garbage,
        // a control byte inside a sentence, an over-long line, a '$' restarting a sentence, a lone line end.
        var longBody = "GPTXT,01,01,02," + new string('x', 128 - 3 - 15);
        var stream = Encoding.Latin1.GetBytes(
            "$GNRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A*49\r\n"
            + "\u00B5\u0062\u0001garbage\r\n"
            + "$GNGGA,083559.00,4717.11437,N,00833.91522,E,1,08,1.01,499.6,M,48.0,M,,*46\r\n"
            + "$PUBX,00,083559.00*00\r\n$GPZDA,172809.456,12,07,1996,00,00*45\r\n"
            + "$GPZDA,0357\u0001\u000251.00,18,04,2007,00,00*6B\r\n$GPZDA,035751.00,18,04,2007,00,00\r\n"
            + "$" + longBody + "*" + Checksum(longBody) + "\r\n$GPZDA,0357$GNZDA,223120.090,23,06,2019,,*4C\n\r"
            + "$GPZDA,035751.00,18,04,2007,00,00*6B\r\n$GPRMC,12");
        var bytewise = new NmeaParser();
        var expected = new List<string>();
        foreach (var b in stream)
        {
            var r = bytewise.Push(b);
            if (r != NmeaLineResult.None)
            {
                expected.Add(Describe(r, bytewise.Sentence));
            }
        }

        var actual = new List<string>();
        for (var start = 0; start < stream.Length; start += chunk)
        {
            var end = Math.Min(start + chunk, stream.Length);
            var at = start;
            while (at < end)
            {
                var r = _parser.Push(stream, ref at, end);
                if (r != NmeaLineResult.None)
                {
                    actual.Add(Describe(r, _parser.Sentence));
                }
            }
        }

        Assert.Equal(11, expected.Count);
        Assert.Equal(expected, actual);
        Assert.Equal(bytewise.Flush(), _parser.Flush());
        foreach (NmeaLineResult result in Enum.GetValues<NmeaLineResult>())
        {
            Assert.Equal(bytewise.CountOf(result), _parser.CountOf(result));
        }
    }

    [Fact]
    public void Parsing_AllocatesNothing()
    {
        var burst = Encoding.ASCII.GetBytes(
            "$GNRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A*49\r\n"
            + "$GNGGA,083559.00,4717.11437,N,00833.91522,E,1,08,1.01,499.6,M,48.0,M,,*46\r\n"
            + "$GPGSV,3,1,11,02,48,298,24,05,23,047,31,10,10,185,17,12,36,112,30*78\r\n"
            + "$GNZDA,223120.090,23,06,2019,,*4C\r\n$GNRMC,12\u0001garbage\r\n");
        foreach (var b in burst)
        {
            _parser.Push(b);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            foreach (var b in burst)
            {
                _parser.Push(b);
            }
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.Equal(3 * 1001, _parser.Accepted);
    }

    private static string Describe(NmeaLineResult result, NmeaSentence s) => result != NmeaLineResult.Accepted
        ? result.ToString()
        : $"{s.Type} {s.Talker} {s.HasTime} {s.Hour}:{s.Minute}:{s.Second}.{s.SubsecondMicros} {s.HasDate} {s.Year}-{s.Month}-{s.Day} {s.Status}{s.Mode} {s.FixQuality} {s.Satellites}";

    private static string Checksum(string body) => body.Aggregate(0, (c, ch) => c ^ ch).ToString("X2", System.Globalization.CultureInfo.InvariantCulture);

    private static string Frame(string body) => "$" + body + "*" + Checksum(body);

    private NmeaLineResult Line(string sentence)
    {
        var results = Push(sentence + "\r\n");
        Assert.Single(results);
        return results[0];
    }

    private List<NmeaLineResult> Push(string text) =>
        Encoding.Latin1.GetBytes(text).Select(_parser.Push).Where(r => r != NmeaLineResult.None).ToList();
}
