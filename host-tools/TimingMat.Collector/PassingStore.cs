using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using TimingMat.Collector.Courses;
using TimingMat.Core.Clock;
using TimingMat.Core.Journal;
using TimingMat.Core.Outbox;
using TimingMat.Core.Passings;

namespace TimingMat.Collector;

/// <summary>
/// The collector's SQLite database: passings keyed by (unit, seq), each unit's ledger, its last status and any
/// conflicting passings. Writes go in explicit transactions (<see cref="Begin"/>/<see cref="Commit"/>) so a batch of
/// messages costs one disk sync; the collector acks only after <see cref="Commit"/> returned.
/// </summary>
/// <remarks>
/// Tables: <c>meta</c> (application, schema version, the course file last used), <c>passings</c> (one row per
/// (unit, seq), the decoded fields plus the raw PassingBody v1 bytes), <c>units</c> (the ledger: journal followed,
/// contiguous and highest seq, counters), <c>unit_status</c> (last retained status JSON), <c>conflicts</c> (a
/// different passing for an existing (unit, seq), e.g. from a wiped unit journal), <c>crossings</c> (schema 3: the
/// passings merged per timing point and chip by <see cref="CrossingMerger"/>, kept when the collector has a course).
/// WAL mode; <c>synchronous=FULL</c> unless opened otherwise. A database of schema 2 is migrated to 3 when opened.
/// </remarks>
public sealed class PassingStore : IDisposable
{
    /// <summary>The schema version this code writes and reads.</summary>
    public const int SchemaVersion = 3;

    /// <summary>Source of a passing that came in a full MQTT batch.</summary>
    public const string SourceMqtt = "mqtt";

    /// <summary>Source of a passing that came over the LoRa fallback (chip tail resolved, read details missing).</summary>
    public const string SourceLora = "lora";

    private const string Application = "timingmat-collector";

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _existing;
    private readonly SqliteCommand _conflict;
    private readonly SqliteCommand _upgrade;
    private readonly SqliteCommand _unit;
    private readonly SqliteCommand _status;
    private readonly SqliteCommand _deleteCrossing;
    private readonly SqliteCommand _insertCrossing;
    private readonly SqliteCommand[] _commands;
    private SqliteTransaction? _transaction;

    private PassingStore(SqliteConnection connection)
    {
        _connection = connection;
        _insert = Prepare(
            "INSERT OR IGNORE INTO passings(unit, seq, journal_id, kind, epc, time_us, first_read_us, last_read_us, hits, rssi_cdbm, antenna, clock, uncertainty_us, flags, marker, body, received_us, source) " +
            "VALUES($unit, $seq, $journal, $kind, $epc, $time, $first, $last, $hits, $rssi, $antenna, $clock, $uncertainty, $flags, $marker, $body, $received, $source)",
            "$unit", "$seq", "$journal", "$kind", "$epc", "$time", "$first", "$last", "$hits", "$rssi", "$antenna", "$clock", "$uncertainty", "$flags", "$marker", "$body", "$received", "$source");
        _existing = Prepare("SELECT body, source FROM passings WHERE unit = $unit AND seq = $seq", "$unit", "$seq");
        _upgrade = Prepare(
            "UPDATE passings SET journal_id = $journal, kind = $kind, epc = $epc, time_us = $time, first_read_us = $first, last_read_us = $last, hits = $hits, rssi_cdbm = $rssi, " +
            "antenna = $antenna, clock = $clock, uncertainty_us = $uncertainty, flags = $flags, marker = $marker, body = $body, source = $source WHERE unit = $unit AND seq = $seq AND source = 'lora'",
            "$unit", "$seq", "$journal", "$kind", "$epc", "$time", "$first", "$last", "$hits", "$rssi", "$antenna", "$clock", "$uncertainty", "$flags", "$marker", "$body", "$source");
        _conflict = Prepare(
            "INSERT OR IGNORE INTO conflicts(unit, seq, journal_id, body, received_us) VALUES($unit, $seq, $journal, $body, $received)",
            "$unit", "$seq", "$journal", "$body", "$received");
        _unit = Prepare(
            "INSERT INTO units(unit, journal_id, contiguous_seq, highest_seq, batches, duplicates, conflicts) VALUES($unit, $journal, $contiguous, $highest, $batches, $duplicates, $conflicts) " +
            "ON CONFLICT(unit) DO UPDATE SET journal_id = excluded.journal_id, contiguous_seq = excluded.contiguous_seq, highest_seq = excluded.highest_seq, " +
            "batches = excluded.batches, duplicates = excluded.duplicates, conflicts = excluded.conflicts",
            "$unit", "$journal", "$contiguous", "$highest", "$batches", "$duplicates", "$conflicts");
        _status = Prepare(
            "INSERT INTO unit_status(unit, status, received_us) VALUES($unit, $status, $received) ON CONFLICT(unit) DO UPDATE SET status = excluded.status, received_us = excluded.received_us",
            "$unit", "$status", "$received");
        _deleteCrossing = Prepare("DELETE FROM crossings WHERE epc = $epc AND timing_point = $point AND time_us = $time", "$epc", "$point", "$time");
        _insertCrossing = Prepare(
            "INSERT OR REPLACE INTO crossings(epc, timing_point, time_us, line, unit, seq, hits, lines_read, speed_mps, time_from, passings) " +
            "VALUES($epc, $point, $time, $line, $unit, $seq, $hits, $lines, $speed, $from, $passings)",
            "$epc", "$point", "$time", "$line", "$unit", "$seq", "$hits", "$lines", "$speed", "$from", "$passings");
        _commands = [_insert, _existing, _conflict, _upgrade, _unit, _status, _deleteCrossing, _insertCrossing];
    }

    /// <summary>Gets the database file path, or <c>:memory:</c>.</summary>
    public string Path => _connection.DataSource;

    /// <summary>Opens a collector database, creating it (and its tables) when the file is new or empty.</summary>
    /// <param name="path">Database file, or <c>:memory:</c> for a database in RAM (simulations).</param>
    /// <param name="durable">Whether each commit is synced to disk (<c>synchronous=FULL</c>); off trades crash safety for speed.</param>
    /// <returns>The open store.</returns>
    /// <exception cref="CollectorDatabaseException">The file is not SQLite, belongs to something else, or has a newer schema.</exception>
    public static PassingStore Open(string path, bool durable = true) =>
        OpenWith(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }, "is not a SQLite database", connection =>
        {
            var tables = ListTables(connection);
            if (tables.Count == 0)
            {
                CreateSchema(connection);
            }
            else if (CheckSchema(connection, path, tables) == 2)
            {
                MigrateFrom2(connection);
            }

            Execute(connection, path == ":memory:" ? "PRAGMA journal_mode = MEMORY" : "PRAGMA journal_mode = WAL");
            Execute(connection, durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = OFF");
            return new PassingStore(connection);
        });

    /// <summary>
    /// Opens a connection and builds on it; the connection is closed if anything fails, and a SQLite error becomes a
    /// <see cref="CollectorDatabaseException"/> naming the file.
    /// </summary>
    /// <param name="options">The connection (its data source is the file named in errors).</param>
    /// <param name="notSqlite">What a SQLite error says of the file, after its name.</param>
    /// <param name="build">What to make of the open connection; it owns the connection when it returns.</param>
    internal static T OpenWith<T>(SqliteConnectionStringBuilder options, string notSqlite, Func<SqliteConnection, T> build)
    {
        var connection = new SqliteConnection(options.ToString());
        try
        {
            connection.Open();
            return build(connection);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new CollectorDatabaseException($"'{options.DataSource}' {notSqlite} ({e.Message.TrimEnd('.')}).", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Starts a transaction; every store call until <see cref="Commit"/> joins it.</summary>
    public void Begin()
    {
        _transaction = _connection.BeginTransaction();
        foreach (var command in _commands)
        {
            command.Transaction = _transaction;
        }
    }

    /// <summary>Commits the transaction: the passings are on disk when this returns.</summary>
    public void Commit()
    {
        _transaction?.Commit();
        _transaction?.Dispose();
        _transaction = null;

        // Commands keep the finished transaction otherwise, and a store call outside Begin/Commit then throws.
        foreach (var command in _commands)
        {
            command.Transaction = null;
        }
    }

    /// <summary>Stores one passing unless the same (unit, seq) is there already.</summary>
    /// <param name="passing">The passing, with unit and sequence number.</param>
    /// <param name="journalId">The unit journal it came from.</param>
    /// <param name="body">Buffer holding its PassingBody v1 bytes.</param>
    /// <param name="bodyOffset">Offset of the body.</param>
    /// <param name="bodyLength">Length of the body.</param>
    /// <param name="receivedUtcMicros">Collector time, UTC µs.</param>
    /// <param name="source"><see cref="SourceMqtt"/> or <see cref="SourceLora"/>.</param>
    /// <returns>What happened.</returns>
    /// <remarks>
    /// A passing stored from LoRa is replaced by the full record when it arrives later over MQTT
    /// (<see cref="StoreResult.Upgraded"/>); the reverse is a duplicate, LoRa carries less.
    /// </remarks>
    public StoreResult Store(Passing passing, int journalId, byte[] body, int bodyOffset, int bodyLength, long receivedUtcMicros, string source = SourceMqtt)
    {
        var raw = body.AsSpan(bodyOffset, bodyLength).ToArray();
        var p = _insert.Parameters;
        p[0].Value = passing.UnitId;
        p[1].Value = passing.Sequence;
        p[2].Value = journalId;
        p[3].Value = PassingJson.KindName(passing.Kind);
        p[4].Value = Convert.ToHexString(passing.Epc, 0, passing.EpcLength);
        p[5].Value = passing.TimeUtcMicros;
        p[6].Value = passing.FirstReadUtcMicros;
        p[7].Value = passing.LastReadUtcMicros;
        p[8].Value = passing.Hits;
        p[9].Value = passing.MaxRssiCentiDbm;
        p[10].Value = passing.BestAntenna;
        p[11].Value = PassingJson.ClockName(passing.ClockState);
        p[12].Value = passing.UncertaintyMicros;
        p[13].Value = (int)passing.Flags;
        p[14].Value = passing.MarkerValue;
        p[15].Value = raw;
        p[16].Value = receivedUtcMicros;
        p[17].Value = source;
        if (_insert.ExecuteNonQuery() == 1)
        {
            return StoreResult.Inserted;
        }

        _existing.Parameters[0].Value = passing.UnitId;
        _existing.Parameters[1].Value = passing.Sequence;
        byte[]? stored = null;
        string? storedSource = null;
        using (var reader = _existing.ExecuteReader())
        {
            if (reader.Read())
            {
                stored = (byte[])reader.GetValue(0);
                storedSource = reader.GetString(1);
            }
        }

        if (stored != null && stored.AsSpan().SequenceEqual(raw))
        {
            return StoreResult.Duplicate;
        }

        if (storedSource == SourceLora && source == SourceMqtt)
        {
            var u = _upgrade.Parameters;
            for (var i = 0; i < 16; i++)
            {
                u[i].Value = p[i].Value;
            }

            u[16].Value = source;
            _upgrade.ExecuteNonQuery();
            return StoreResult.Upgraded;
        }

        if (storedSource == SourceMqtt && source == SourceLora)
        {
            return StoreResult.Duplicate;
        }

        var c = _conflict.Parameters;
        c[0].Value = passing.UnitId;
        c[1].Value = passing.Sequence;
        c[2].Value = journalId;
        c[3].Value = raw;
        c[4].Value = receivedUtcMicros;
        _conflict.ExecuteNonQuery();
        return StoreResult.Conflict;
    }

    /// <summary>Reads every crossing passing (markers and test tags left out), for merging.</summary>
    /// <returns>The passings, by unit and sequence number.</returns>
    public List<CoursePassing> ReadCoursePassings()
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = $"SELECT unit, seq, epc, time_us, hits FROM passings WHERE kind = 'crossing' AND (flags & {(int)PassingFlags.TestTag}) = 0 ORDER BY unit, seq";
        var result = new List<CoursePassing>();
        var chips = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var epc = reader.GetString(2);
            if (!chips.TryGetValue(epc, out var shared))
            {
                chips[epc] = shared = epc; // one string per chip, however many passings it has
            }

            result.Add(new CoursePassing(reader.GetInt32(0), reader.GetInt64(1), shared, reader.GetInt64(3), reader.GetInt32(4)));
        }

        return result;
    }

    /// <summary>Writes what changed in a chip's merged crossings.</summary>
    /// <param name="gone">Crossings that are no longer (or changed).</param>
    /// <param name="come">New or changed crossings.</param>
    public void UpdateCrossings(IReadOnlyList<MergedCrossing> gone, IReadOnlyList<MergedCrossing> come)
    {
        foreach (var c in gone)
        {
            var d = _deleteCrossing.Parameters;
            d[0].Value = c.ChipHex;
            d[1].Value = c.TimingPoint;
            d[2].Value = c.TimeUtcMicros;
            _deleteCrossing.ExecuteNonQuery();
        }

        var p = _insertCrossing.Parameters;
        foreach (var c in come)
        {
            p[0].Value = c.ChipHex;
            p[1].Value = c.TimingPoint;
            p[2].Value = c.TimeUtcMicros;
            p[3].Value = c.Line;
            p[4].Value = c.Unit;
            p[5].Value = c.Sequence;
            p[6].Value = c.Hits;
            p[7].Value = c.LinesRead;
            p[8].Value = c.SpeedMps is { } v ? v : DBNull.Value;
            p[9].Value = c.TimeFrom;
            p[10].Value = string.Join(' ', c.Passings.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Unit}:{e.Sequence}")));
            _insertCrossing.ExecuteNonQuery();
        }
    }

    /// <summary>Reads the merged crossings, in timing point and time order.</summary>
    /// <param name="timingPoint">One timing point, or null for all.</param>
    /// <returns>The crossings; <see cref="MergedCrossing.Passings"/> holds only the unit and sequence of each merged passing.</returns>
    public List<MergedCrossing> ReadCrossings(string? timingPoint = null)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT epc, timing_point, time_us, line, unit, seq, hits, lines_read, speed_mps, time_from, passings FROM crossings"
            + (timingPoint == null ? string.Empty : " WHERE timing_point = $point") + " ORDER BY timing_point, time_us, epc";
        if (timingPoint != null)
        {
            command.Parameters.AddWithValue("$point", timingPoint);
        }

        var result = new List<MergedCrossing>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var epc = reader.GetString(0);
            var evidence = reader.GetString(10).Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(e => e.Split(':'))
                .Select(e => new CoursePassing(int.Parse(e[0], CultureInfo.InvariantCulture), long.Parse(e[1], CultureInfo.InvariantCulture), epc, 0, 0))
                .ToList();
            result.Add(new MergedCrossing(reader.GetString(1), epc, reader.GetInt64(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt64(5), reader.GetInt32(6), reader.GetInt32(7),
                reader.IsDBNull(8) ? null : reader.GetDouble(8), reader.GetString(9), evidence));
        }

        return result;
    }

    /// <summary>Counts the merged crossings.</summary>
    /// <param name="timingPoint">One timing point, or null for all.</param>
    /// <returns>The count.</returns>
    public long CountCrossings(string? timingPoint = null)
    {
        if (timingPoint == null)
        {
            return Count("SELECT COUNT(*) FROM crossings", null);
        }

        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM crossings WHERE timing_point = $point";
        command.Parameters.AddWithValue("$point", timingPoint);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Gets the course file text the crossings were last merged with, or null.</summary>
    /// <returns>The text.</returns>
    public string? ReadCourse()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = 'course'";
        return command.ExecuteScalar() as string;
    }

    /// <summary>
    /// Sets the course the crossings are merged with. When it differs from the one the database was merged with (or
    /// none was), the crossings are written again from the book (which holds every stored passing), in one transaction.
    /// </summary>
    /// <param name="book">The passings merged with the course.</param>
    /// <returns><c>true</c> when the crossings were written again.</returns>
    public bool UseCourse(CrossingBook book)
    {
        var text = CourseFile.Write(book.Course);
        if (ReadCourse() == text)
        {
            return false;
        }

        Begin();
        Execute(_connection, "DELETE FROM crossings", _transaction);
        UpdateCrossings([], [.. book.Crossings]);
        using (var command = _connection.CreateCommand())
        {
            command.Transaction = _transaction;
            command.CommandText = "INSERT INTO meta(key, value) VALUES('course', $text) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
            command.Parameters.AddWithValue("$text", text);
            command.ExecuteNonQuery();
        }

        Commit();
        return true;
    }

    /// <summary>Saves a unit's ledger entry.</summary>
    /// <param name="entry">The entry.</param>
    public void SaveUnit(UnitLedgerEntry entry)
    {
        var p = _unit.Parameters;
        p[0].Value = entry.Unit;
        p[1].Value = entry.JournalId;
        p[2].Value = entry.Contiguous;
        p[3].Value = entry.Highest;
        p[4].Value = entry.Batches;
        p[5].Value = entry.Duplicates;
        p[6].Value = entry.Conflicts;
        _unit.ExecuteNonQuery();
    }

    /// <summary>Saves a unit's last status message.</summary>
    /// <param name="unit">Unit id.</param>
    /// <param name="status">The status JSON as received.</param>
    /// <param name="receivedUtcMicros">Collector time, UTC µs.</param>
    public void SaveStatus(int unit, string status, long receivedUtcMicros)
    {
        _status.Parameters[0].Value = unit;
        _status.Parameters[1].Value = status;
        _status.Parameters[2].Value = receivedUtcMicros;
        _status.ExecuteNonQuery();
    }

    /// <summary>Loads every unit's ledger, with the passings stored above its contiguous mark.</summary>
    /// <returns>The entries.</returns>
    public List<UnitLedgerEntry> LoadLedger()
    {
        var entries = new List<UnitLedgerEntry>();
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "SELECT unit, journal_id, contiguous_seq, batches, duplicates, conflicts FROM units ORDER BY unit";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                entries.Add(new UnitLedgerEntry(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt64(2))
                {
                    Batches = reader.GetInt64(3),
                    Duplicates = reader.GetInt64(4),
                    Conflicts = reader.GetInt64(5),
                });
            }
        }

        foreach (var entry in entries)
        {
            using var command = _connection.CreateCommand();
            command.CommandText =
                "SELECT seq FROM passings WHERE unit = $unit AND journal_id = $journal AND seq > $from " +
                "UNION SELECT seq FROM conflicts WHERE unit = $unit AND journal_id = $journal AND seq > $from";
            command.Parameters.AddWithValue("$unit", entry.Unit);
            command.Parameters.AddWithValue("$journal", entry.JournalId);
            command.Parameters.AddWithValue("$from", entry.Contiguous);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                entry.Stored(reader.GetInt64(0));
            }
        }

        return entries;
    }

    /// <summary>Counts stored passings.</summary>
    /// <param name="unit">One unit, or <c>null</c> for all.</param>
    /// <returns>The count.</returns>
    public long CountPassings(int? unit = null) =>
        Count(unit == null ? "SELECT COUNT(*) FROM passings" : "SELECT COUNT(*) FROM passings WHERE unit = $unit", unit);

    /// <summary>Counts conflicting passings kept aside.</summary>
    /// <returns>The count.</returns>
    public long CountConflicts() => Count("SELECT COUNT(*) FROM conflicts", null);

    /// <summary>Reads a unit's passings in sequence order.</summary>
    /// <param name="unit">Unit id.</param>
    /// <param name="fromSequence">First sequence number.</param>
    /// <param name="max">Most passings returned.</param>
    /// <returns>The passings.</returns>
    public List<CollectedPassing> ReadPassings(int unit, long fromSequence = 1, int max = int.MaxValue)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT seq, journal_id, body, received_us, source FROM passings WHERE unit = $unit AND seq >= $from ORDER BY seq LIMIT $max";
        command.Parameters.AddWithValue("$unit", unit);
        command.Parameters.AddWithValue("$from", fromSequence);
        command.Parameters.AddWithValue("$max", max);
        var result = new List<CollectedPassing>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var body = (byte[])reader.GetValue(2);
            var passing = new Passing();
            if (PassingBody.Read(body, 0, body.Length, passing) != body.Length)
            {
                throw new CollectorDatabaseException($"passing ({unit}, {reader.GetInt64(0)}) in '{Path}' has a damaged body.");
            }

            passing.UnitId = unit;
            passing.Sequence = reader.GetInt64(0);
            result.Add(new CollectedPassing(passing, reader.GetInt32(1), reader.GetInt64(3), reader.GetString(4)));
        }

        return result;
    }

    /// <summary>Reads a unit's last status JSON.</summary>
    /// <param name="unit">Unit id.</param>
    /// <returns>The JSON, or <c>null</c> when none arrived.</returns>
    public string? ReadStatus(int unit)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT status FROM unit_status WHERE unit = $unit";
        command.Parameters.AddWithValue("$unit", unit);
        return command.ExecuteScalar() as string;
    }

    /// <summary>Reads the delay from each passing's time to its arrival at the collector, in µs (UTC-timed passings only).</summary>
    /// <param name="fromTimeUtcMicros">Only passings timed at or after this UTC µs.</param>
    /// <returns>One delay per passing, by unit and sequence number.</returns>
    public List<long> ReadArrivalDelays(long fromTimeUtcMicros = long.MinValue)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT received_us - time_us FROM passings WHERE clock <> 'unsynced' AND time_us >= $from ORDER BY unit, seq";
        command.Parameters.AddWithValue("$from", fromTimeUtcMicros);
        var delays = new List<long>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            delays.Add(reader.GetInt64(0));
        }

        return delays;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _transaction?.Dispose();
        foreach (var command in _commands)
        {
            command.Dispose();
        }

        _connection.Dispose();
    }

    private static void CreateSchema(SqliteConnection connection)
    {
        Execute(connection, """
            CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE passings(
                unit INTEGER NOT NULL, seq INTEGER NOT NULL, journal_id INTEGER NOT NULL,
                kind TEXT NOT NULL, epc TEXT NOT NULL, time_us INTEGER NOT NULL, first_read_us INTEGER NOT NULL,
                last_read_us INTEGER NOT NULL, hits INTEGER NOT NULL, rssi_cdbm INTEGER NOT NULL, antenna INTEGER NOT NULL,
                clock TEXT NOT NULL, uncertainty_us INTEGER NOT NULL, flags INTEGER NOT NULL, marker INTEGER NOT NULL,
                body BLOB NOT NULL, received_us INTEGER NOT NULL, source TEXT NOT NULL,
                PRIMARY KEY(unit, seq)) WITHOUT ROWID;
            CREATE TABLE units(
                unit INTEGER PRIMARY KEY, journal_id INTEGER NOT NULL, contiguous_seq INTEGER NOT NULL,
                highest_seq INTEGER NOT NULL, batches INTEGER NOT NULL, duplicates INTEGER NOT NULL, conflicts INTEGER NOT NULL);
            CREATE TABLE unit_status(unit INTEGER PRIMARY KEY, status TEXT NOT NULL, received_us INTEGER NOT NULL);
            CREATE TABLE conflicts(
                unit INTEGER NOT NULL, seq INTEGER NOT NULL, journal_id INTEGER NOT NULL, body BLOB NOT NULL,
                received_us INTEGER NOT NULL, PRIMARY KEY(unit, seq, journal_id));
            """);
        Execute(connection, CrossingsSchema);
        Execute(connection, $"INSERT INTO meta(key, value) VALUES('application', '{Application}'), ('schema_version', '{SchemaVersion}')");
    }

    // Schema 3: merged crossings per (chip, timing point), found by point for a checkpoint's list.
    private const string CrossingsSchema = """
        CREATE TABLE crossings(
            epc TEXT NOT NULL, timing_point TEXT NOT NULL, time_us INTEGER NOT NULL, line INTEGER NOT NULL,
            unit INTEGER NOT NULL, seq INTEGER NOT NULL, hits INTEGER NOT NULL, lines_read INTEGER NOT NULL,
            speed_mps REAL, time_from TEXT NOT NULL, passings TEXT NOT NULL,
            PRIMARY KEY(epc, timing_point, time_us)) WITHOUT ROWID;
        CREATE INDEX crossings_by_point ON crossings(timing_point, time_us);
        """;

    // Schema 2 (LoRa source, before merged crossings) to 3: add the crossings table and its index. Nothing
    // stored is rewritten; the crossings fill in once a course is given.
    private static void MigrateFrom2(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        Execute(connection, CrossingsSchema, transaction);
        Execute(connection, $"UPDATE meta SET value = '{SchemaVersion}' WHERE key = 'schema_version'", transaction);
        transaction.Commit();
    }

    /// <summary>Lists a database's tables.</summary>
    /// <param name="connection">Open connection.</param>
    /// <returns>Table names in order.</returns>
    internal static List<string> ListTables(SqliteConnection connection)
    {
        var tables = new List<string>();
        using var list = connection.CreateCommand();
        list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
        using var reader = list.ExecuteReader();
        while (reader.Read())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    /// <summary>Checks that a database is a collector's and of a schema this code reads, without changing it.</summary>
    /// <param name="connection">Open connection.</param>
    /// <param name="path">The file, for messages.</param>
    /// <param name="tables">Its tables.</param>
    /// <returns>The schema version: 2 (to migrate before writing) or <see cref="SchemaVersion"/>.</returns>
    /// <exception cref="CollectorDatabaseException">Another application's database, or another schema.</exception>
    internal static int CheckSchema(SqliteConnection connection, string path, List<string> tables)
    {
        string? application = null;
        string? version = null;
        if (tables.Contains("meta"))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT key, value FROM meta WHERE key IN ('application', 'schema_version')";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                if (reader.GetString(0) == "application")
                {
                    application = reader.GetString(1);
                }
                else
                {
                    version = reader.GetString(1);
                }
            }
        }

        if (application != Application)
        {
            throw new CollectorDatabaseException($"'{path}' is a SQLite database of something else (tables: {string.Join(", ", tables)}), not a TimingMat collector database.");
        }

        if (version == "2")
        {
            return 2;
        }

        if (version != SchemaVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw new CollectorDatabaseException($"'{path}' has collector schema version {version}; this timingmat reads versions 2 and {SchemaVersion} (2 is migrated to {SchemaVersion} when opened).");
        }

        return SchemaVersion;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private long Count(string sql, int? unit)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        if (unit != null)
        {
            command.Parameters.AddWithValue("$unit", unit.Value);
        }

        return (long)command.ExecuteScalar()!;
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }
}
