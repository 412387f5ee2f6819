using TimingMat.Core.Clock;
using TimingMat.Core.Journal;
using TimingMat.Core.Passings;

namespace TimingMat.Emulators.Passings;

/// <summary>
/// Synthetic passings standing in for the crossing detector when only the path behind it is under test (ring,
/// journal, outbox, collector): each carries a running number in its EPC, so a collector's contents can be checked
/// for every number exactly once.
/// </summary>
/// <remarks>
/// EPC (12 bytes): E2 80, the unit id (low byte), five zero bytes, then the running number big-endian. The other
/// fields are plausible and follow from the number (hits 30–69, RSSI −45.00 to −64.99 dBm, antenna 1–4).
/// </remarks>
public static class SyntheticPassings
{
    /// <summary>Fills a passing (no allocation) with synthetic passing number <paramref name="number"/> of a unit.</summary>
    /// <param name="passing">The passing to fill.</param>
    /// <param name="unitId">Unit id.</param>
    /// <param name="number">Running number, 1 or more.</param>
    /// <param name="utcMicros">Crossing time, UTC µs.</param>
    public static void Fill(Passing passing, int unitId, int number, long utcMicros)
    {
        passing.Kind = PassingKind.Crossing;
        passing.UnitId = unitId;
        passing.Sequence = Passing.NoSequence;
        passing.EpcLength = 12;
        passing.TimeUtcMicros = utcMicros;
        passing.FirstReadUtcMicros = utcMicros - 200_000;
        passing.LastReadUtcMicros = utcMicros + 150_000;
        passing.Hits = 30 + (number % 40);
        passing.MaxRssiCentiDbm = -4500 - (number % 2000);
        passing.BestAntenna = 1 + (number % 4);
        passing.ClockState = ClockState.Locked;
        passing.UncertaintyMicros = 4;
        passing.Flags = PassingFlags.None;
        passing.MarkerValue = 0;
        var epc = passing.Epc;
        Array.Clear(epc, 0, 12);
        epc[0] = 0xE2;
        epc[1] = 0x80;
        epc[2] = (byte)unitId;
        epc[8] = (byte)(number >> 24);
        epc[9] = (byte)(number >> 16);
        epc[10] = (byte)(number >> 8);
        epc[11] = (byte)number;
    }

    /// <summary>Makes synthetic passing number <paramref name="number"/> of a unit.</summary>
    /// <param name="unitId">Unit id.</param>
    /// <param name="number">Running number.</param>
    /// <param name="utcMicros">Crossing time, UTC µs.</param>
    /// <returns>A new passing.</returns>
    public static Passing Make(int unitId, int number, long utcMicros)
    {
        var passing = new Passing();
        Fill(passing, unitId, number, utcMicros);
        return passing;
    }

    /// <summary>Gets the running number of a synthetic passing.</summary>
    /// <param name="passing">The passing.</param>
    /// <returns>The number.</returns>
    public static int NumberOf(Passing passing) =>
        (passing.Epc[8] << 24) | (passing.Epc[9] << 16) | (passing.Epc[10] << 8) | passing.Epc[11];

    /// <summary>Gets the running number of the newest passing in a journal: where a restarted synthetic detector resumes.</summary>
    /// <param name="journal">An open journal of synthetic passings.</param>
    /// <returns>The number, or 0 for an empty journal.</returns>
    public static int LastNumberIn(PassingJournal journal)
    {
        var cursor = journal.CreateCursor();
        cursor.Seek(journal.LastSequence);
        var last = new Passing();
        return cursor.TryRead(last) ? NumberOf(last) : 0;
    }

    /// <summary>Gets the current UTC time in µs since 1970, the timebase of passings.</summary>
    /// <returns>UTC µs.</returns>
    public static long UtcNowMicros() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
}
