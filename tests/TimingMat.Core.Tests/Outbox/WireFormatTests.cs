using System.Text;
using System.Text.Json;
using TimingMat.Core.Common;
using TimingMat.Core.Journal;
using TimingMat.Core.Outbox;
using TimingMat.Core.Passings;
using TimingMat.Core.Tests.Journal;
using Xunit;

namespace TimingMat.Core.Tests.Outbox;

/// <summary>The batch, ack and command formats of firmware/docs/wire-formats.md, pinned byte for byte.</summary>
public class WireFormatTests
{
    [Fact]
    public void Batch_Header_IsPinnedByteForByte()
    {
        var p = SamplePassings.Make(1);
        var batch = new byte[BatchFormat.HeaderBytes + PassingBody.MaxBytes];
        var body = PassingBody.Write(p, batch, BatchFormat.HeaderBytes);

        var length = BatchFormat.Seal(batch, BatchFormat.FlagReplay, 7, 0x01020304, 101, 100, 1, body);

        Assert.Equal(BatchFormat.HeaderBytes + 53, length);
        Assert.Equal("01" + "01" + "0700" + "04030201" + "6500000000000000" + "6400000000000000" + "0100" + "3500", Convert.ToHexString(batch, 0, 28));
        var crc = Crc32.Update(Crc32.Initial, batch, 0, 28);
        crc = Crc32.Finish(Crc32.Update(crc, batch, 32, body));
        Assert.Equal(crc, LittleEndian.ReadUInt32(batch, 28));
        Assert.Equal(SamplePassings.Body(p), batch[32..length]);
    }

    [Fact]
    public void BatchReader_RoundTripsEveryPassing_WithConsecutiveSequenceNumbers()
    {
        var random = new Random(5);
        var passings = Enumerable.Range(0, 40).Select(_ => SamplePassings.Random(random)).ToList();
        var payload = Batch(passings, unit: 300, journal: 77, first: 1000, acked: 990);
        var reader = new BatchReader();

        Assert.True(reader.Load(payload, payload.Length), reader.Error);
        Assert.Equal((300, 77, 1000L, 1039L, 990L, 40, false), (reader.UnitId, reader.JournalId, reader.FirstSequence, reader.LastSequence, reader.AckedSequence, reader.Count, reader.IsReplay));
        var read = new Passing();
        foreach (var expected in passings)
        {
            Assert.True(reader.TryRead(read));
            SamplePassings.AssertSame(expected, read);
            Assert.Equal(300, read.UnitId);
        }

        Assert.False(reader.TryRead(read));
        Assert.Equal(1039, read.Sequence);
    }

    [Theory]
    [InlineData("crc", "CRC mismatch")]
    [InlineData("version", "format version 2 is not 1")]
    [InlineData("short", "shorter than the 32-byte header")]
    [InlineData("length", "length does not match the header")]
    [InlineData("count", "record 2 is cut short")]
    [InlineData("zero", "no records")]
    public void BatchReader_RejectsDamagedBatches_WithTheReason(string damage, string reason)
    {
        var payload = Batch([SamplePassings.Make(1), SamplePassings.Make(2)], 7, 1, 1, 0);
        switch (damage)
        {
            case "crc":
                payload[40] ^= 0x10;
                break;
            case "version":
                payload[0] = 2;
                break;
            case "short":
                payload = payload[..20];
                break;
            case "length":
                payload = payload[..^1];
                break;
            case "count":
                Reseal(payload, count: 3);
                break;
            case "zero":
                Reseal(payload, count: 0);
                break;
        }

        var reader = new BatchReader();
        Assert.False(reader.Load(payload, payload.Length));
        Assert.Equal(reason, reader.Error);
        Assert.Equal(0, reader.Count);
    }

    [Fact]
    public void CollectorAck_IsPinnedByteForByte_AndRoundTrips()
    {
        var ack = new CollectorAck { UnitId = 7, JournalId = 0x11223344, AckedSequence = 500, BatchFirstSequence = 451, BatchCount = 50 };
        var bytes = new byte[CollectorAck.Bytes];
        ack.Write(bytes, 0);

        Assert.Equal("01" + "00" + "0700" + "44332211" + "F401000000000000" + "C301000000000000" + "3200" + "0000", Convert.ToHexString(bytes, 0, 28));
        Assert.Equal(Crc32.Compute(bytes, 0, 28), LittleEndian.ReadUInt32(bytes, 28));
        var back = new CollectorAck();
        Assert.True(back.Read(bytes, bytes.Length));
        Assert.Equal((7, 0x11223344, 500L, 451L, 50), (back.UnitId, back.JournalId, back.AckedSequence, back.BatchFirstSequence, back.BatchCount));

        bytes[10] ^= 1;
        Assert.False(back.Read(bytes, bytes.Length));
        Assert.False(back.Read(new byte[31], 31));
    }

    [Theory]
    [InlineData("replay 1200", 1200L, ReplayRequest.OpenEnd)]
    [InlineData("replay 5 9", 5L, 9L)]
    [InlineData("replay 7 7", 7L, 7L)]
    public void ReplayRequests_AreReadFromTheAckTopic(string text, long from, long to)
    {
        Assert.True(ReplayRequest.TryRead(Encoding.ASCII.GetBytes(text), out var readFrom, out var readTo));
        Assert.Equal((from, to), (readFrom, readTo));
        Assert.Equal(text, Encoding.ASCII.GetString(ReplayRequest.Write(from, to)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("replay")]
    [InlineData("replay ")]
    [InlineData("replay 0")]
    [InlineData("replay 9 5")]
    [InlineData("replay x")]
    [InlineData("replay 1 2 3")]
    [InlineData("REPLAY 5")]
    [InlineData("replay  5")]
    [InlineData("replay 5\n")]
    [InlineData("replay 1234567890123456789012")]
    public void BadReplayRequests_AreNotRead(string text)
    {
        Assert.False(ReplayRequest.TryRead(Encoding.ASCII.GetBytes(text), out _, out _));
    }

    [Fact]
    public void ACollectorAck_IsNeverTakenForAReplayRequest()
    {
        var ack = new byte[CollectorAck.Bytes];
        new CollectorAck { UnitId = 7, JournalId = 1, AckedSequence = 500, BatchFirstSequence = 451, BatchCount = 50 }.Write(ack, 0);

        Assert.False(ReplayRequest.TryRead(ack, out _, out _));
    }

    [Fact]
    public void Topics_OfAUnit_AndParsingTheUnitBack()
    {
        var topics = new UplinkTopics("timingmat", 42);

        Assert.Equal(("timingmat/42/passings", "timingmat/42/status", "timingmat/42/cmd", "timingmat/42/ack", "timingmat/42/reply"), (topics.Passings, topics.Status, topics.Commands, topics.Acks, topics.Replies));
        Assert.Equal("timingmat/+/passings", UplinkTopics.AllUnits("timingmat", UplinkTopics.PassingsLevel));
        Assert.Equal(42, UplinkTopics.ParseUnit("timingmat/42/passings", "timingmat", "passings"));
        Assert.Equal(-1, UplinkTopics.ParseUnit("timingmat/42/status", "timingmat", "passings"));
        Assert.Equal(-1, UplinkTopics.ParseUnit("timingmat/x/passings", "timingmat", "passings"));
        Assert.Equal(-1, UplinkTopics.ParseUnit("timingmat/70000/passings", "timingmat", "passings"));
        Assert.Equal(-1, UplinkTopics.ParseUnit("other/42/passings", "timingmat", "passings"));
        Assert.Equal(-1, UplinkTopics.ParseUnit("timingmat//passings", "timingmat", "passings"));
    }

    [Fact]
    public void JsonWriter_WritesNumbersDecimalsEscapesAndTimestamps()
    {
        var json = new JsonWriter(512);
        json.BeginObject();
        json.Name("a");
        json.Number(long.MinValue);
        json.Name("b");
        json.Decimal(-4550, 2);
        json.Name("c");
        json.Decimal(5, 3);
        json.Name("d");
        json.String("quote\" back\\ tab\t é");
        json.Name("e");
        json.Timestamp(1_791_100_804_012_300);
        json.Name("f");
        json.BeginArray();
        json.Timestamp(-1);
        json.Boolean(true);
        json.Null();
        json.HexString([0xE2, 0x80, 0x0A], 0, 3);
        json.EndArray();
        json.EndObject();

        Assert.False(json.Overflow);
        Assert.Equal(
            "{\"a\":-9223372036854775808,\"b\":-45.50,\"c\":0.005,\"d\":\"quote\\\" back\\\\ tab\\u0009 \\u00E9\",\"e\":\"2026-10-04T08:00:04.012300Z\",\"f\":[\"1969-12-31T23:59:59.999999Z\",true,null,\"E2800A\"]}",
            Encoding.ASCII.GetString(json.Buffer, 0, json.Length));
        using var parsed = JsonDocument.Parse(json.ToArray());
        Assert.Equal(-45.5, parsed.RootElement.GetProperty("b").GetDouble());
    }

    [Theory]
    [InlineData(0L, "1970-01-01T00:00:00.000000Z")]
    [InlineData(951_782_400_000_000L, "2000-02-29T00:00:00.000000Z")]
    [InlineData(4_107_542_399_999_999L, "2100-02-28T23:59:59.999999Z")]
    public void Timestamps_MatchTheCalendar(long micros, string expected)
    {
        var json = new JsonWriter(64);
        json.Timestamp(micros);

        Assert.Equal("\"" + expected + "\"", Encoding.ASCII.GetString(json.Buffer, 0, json.Length));
        Assert.Equal(DateTime.UnixEpoch.AddTicks(micros * 10).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture), expected);
    }

    [Fact]
    public void JsonWriter_PlayedInSlices_WritesWhatItRecorded_WithTheValuesOfTheRecording()
    {
        var direct = new JsonWriter(512);
        var taped = new JsonWriter(512, 32);
        long[] counters = [long.MinValue, 42];
        taped.Record();
        foreach (var w in new[] { direct, taped })
        {
            w.BeginObject();
            w.Member("a", counters[0]);
            w.Member("b", "quote\" é");
            w.Member("c", true);
            w.Name("d");
            w.Decimal(-4550, 2);
            w.Name("e");
            w.BeginArray();
            w.Timestamp(1_791_100_804_012_300);
            w.Number(counters[1]);
            w.String(null);
            w.Null();
            w.Boolean(false);
            w.EndArray();
            w.EndObject();
        }

        // Values change after the recording: the played text keeps those recorded.
        counters[1] = 7;
        Assert.Equal(0, taped.Length);
        Assert.Equal(16, taped.TapeLength);
        var slices = 0;
        var before = 0;
        while (!taped.Play(16))
        {
            // Each slice stops at the first operation that crosses 16 bytes (the timestamp, 29, is the longest).
            slices++;
            Assert.InRange(taped.Length - before, 16, 16 + 29);
            before = taped.Length;
        }

        Assert.True(slices >= 4, $"{slices} slices");
        Assert.False(taped.Overflow);
        Assert.Equal(Encoding.ASCII.GetString(direct.Buffer, 0, direct.Length), Encoding.ASCII.GetString(taped.Buffer, 0, taped.Length));
        Assert.Contains("\"e\":[\"2026-10-04T08:00:04.012300Z\",42,null,null,false]", Encoding.ASCII.GetString(taped.Buffer, 0, taped.Length), StringComparison.Ordinal);
    }

    [Fact]
    public void JsonWriter_SaysWhenTheRecordingDidNotFit_OrCannotBeRecorded()
    {
        var full = new JsonWriter(512, 2);
        full.Record();
        full.BeginObject();
        full.Member("a", 1);
        full.EndObject();
        Assert.True(full.Play(512));
        Assert.True(full.Overflow);

        var hex = new JsonWriter(512, 8);
        hex.Record();
        hex.HexString([0xE2], 0, 1);
        Assert.True(hex.Overflow);

        var noTape = new JsonWriter(512);
        noTape.Record();
        Assert.True(noTape.Overflow);
    }

    [Fact]
    public void JsonWriter_SaysWhenTheOutputDidNotFit()
    {
        var json = new JsonWriter(8);
        json.String("longer than eight");

        Assert.True(json.Overflow);
    }

    [Fact]
    public void BatchJson_RendersEveryPassingForHumans()
    {
        var p = SamplePassings.Make(50);
        var payload = Batch([p], unit: 7, journal: 9, first: 12, acked: 11);
        var reader = new BatchReader();
        Assert.True(reader.Load(payload, payload.Length));
        var json = new JsonWriter(4096);

        PassingJson.WriteBatch(json, reader, new Passing());

        using var doc = JsonDocument.Parse(json.ToArray());
        var root = doc.RootElement;
        Assert.Equal(12, root.GetProperty("first_seq").GetInt64());
        var passing = root.GetProperty("passings")[0];
        Assert.Equal(12, passing.GetProperty("seq").GetInt64());
        Assert.Equal("crossing", passing.GetProperty("kind").GetString());
        Assert.Equal(Convert.ToHexString(p.Epc, 0, 12), passing.GetProperty("epc").GetString());
        Assert.Equal("2026-10-04T08:00:02.006150Z", passing.GetProperty("time").GetString());
        Assert.Equal(p.MaxRssiCentiDbm / 100.0, passing.GetProperty("rssi_dbm").GetDouble());
        Assert.Equal("locked", passing.GetProperty("clock").GetString());
        Assert.Equal(["test_tag"], passing.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
    }

    private static byte[] Batch(IReadOnlyList<Passing> passings, int unit, int journal, long first, long acked)
    {
        var buffer = new byte[BatchFormat.HeaderBytes + (passings.Count * PassingBody.MaxBytes)];
        var position = BatchFormat.HeaderBytes;
        foreach (var p in passings)
        {
            position += PassingBody.Write(p, buffer, position);
        }

        var length = BatchFormat.Seal(buffer, 0, unit, journal, first, acked, passings.Count, position - BatchFormat.HeaderBytes);
        return buffer[..length];
    }

    private static void Reseal(byte[] payload, int count)
    {
        LittleEndian.WriteUInt16(payload, 24, count);
        var crc = Crc32.Update(Crc32.Initial, payload, 0, 28);
        crc = Crc32.Update(crc, payload, 32, payload.Length - 32);
        LittleEndian.WriteUInt32(payload, 28, Crc32.Finish(crc));
    }
}
