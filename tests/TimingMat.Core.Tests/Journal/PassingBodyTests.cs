using TimingMat.Core.Clock;
using TimingMat.Core.Journal;
using TimingMat.Core.Passings;
using Xunit;

namespace TimingMat.Core.Tests.Journal;

public class PassingBodyTests
{
    [Fact]
    public void Write_PinsTheV1Layout_ByteForByte()
    {
        var p = new Passing
        {
            Kind = PassingKind.Crossing,
            Flags = PassingFlags.Stray,
            ClockState = ClockState.Locked,
            BestAntenna = 3,
            Hits = 42,
            MaxRssiCentiDbm = -4550,
            MarkerValue = 0,
            TimeUtcMicros = 0x0102030405060708,
            FirstReadUtcMicros = 0x0102030405060000,
            LastReadUtcMicros = 0x0102030405070000,
            UncertaintyMicros = 5,
            EpcLength = 2,
        };
        p.Epc[0] = 0xE2;
        p.Epc[1] = 0x80;

        var body = SamplePassings.Body(p);

        Assert.Equal(
            Convert.FromHexString(
                "00" + "04" + "01" + "03" + "2A00" + "3AEE" + "00000000"
                + "0807060504030201" + "0000060504030201" + "0000070504030201"
                + "05000000" + "02" + "E280"),
            body);
    }

    [Fact]
    public void RoundTrip_KeepsEveryField_ForRandomPassings()
    {
        var random = new Random(11);
        for (var i = 0; i < 2000; i++)
        {
            var p = SamplePassings.Random(random);
            var body = SamplePassings.Body(p);
            var back = new Passing();

            Assert.Equal(body.Length, PassingBody.Read(body, 0, body.Length, back));
            SamplePassings.AssertSame(p, back);
            Assert.Equal(PassingBody.FixedBytes + p.EpcLength, body.Length);
        }
    }

    [Fact]
    public void OutOfRangeValues_Saturate_InsteadOfWrapping()
    {
        var p = SamplePassings.Make(1);
        p.Hits = 1_000_000;
        p.MaxRssiCentiDbm = -40_000;
        p.UncertaintyMicros = 10_000_000_000;
        var back = new Passing();

        PassingBody.Read(SamplePassings.Body(p), 0, PassingBody.MaxBytes, back);

        Assert.Equal(65535, back.Hits);
        Assert.Equal(-32768, back.MaxRssiCentiDbm);
        Assert.Equal(int.MaxValue, back.UncertaintyMicros);
    }

    [Fact]
    public void Read_RejectsCutShortOrImpossibleBodies()
    {
        var body = SamplePassings.Body(SamplePassings.Make(3));
        var back = new Passing();

        Assert.Equal(-1, PassingBody.Read(body, 0, body.Length - 1, back));
        body[40] = 63;
        Assert.Equal(-1, PassingBody.Read(body, 0, body.Length, back));
        body[40] = 12;
        body[0] = 9;
        Assert.Equal(-1, PassingBody.Read(body, 0, body.Length, back));
    }
}
