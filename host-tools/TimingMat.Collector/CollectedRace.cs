using Microsoft.Data.Sqlite;
using TimingMat.Core.Passings;

namespace TimingMat.Collector;

/// <summary>
/// A collector database opened read-only, for the audit and the export after (or during) a race: nothing is created,
/// migrated or written, so the evidence the collector kept stays exactly as it was, even while a collector still
/// writes to it (WAL readers do not block the writer).
/// </summary>
public sealed class CollectedRace : IDisposable
{
    private readonly SqliteConnection _connection;

    private CollectedRace(SqliteConnection connection, string path)
    {
        _connection = connection;
        Path = path;
    }

    /// <summary>Gets the database file as given.</summary>
    public string Path { get; }

    /// <summary>Opens a collector database read-only.</summary>
    /// <param name="path">The database file; it must exist.</param>
    /// <returns>The open database.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CollectorDatabaseException">The file is not SQLite, is empty, is another application's, or has a schema this code does not read.</exception>
    public static CollectedRace Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' does not exist.", path);
        }

        return PassingStore.OpenWith(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }, "is not a SQLite database or is damaged", connection =>
        {
            var tables = PassingStore.ListTables(connection);
            if (tables.Count == 0)
            {
                throw new CollectorDatabaseException($"'{path}' is empty: no tables, not a TimingMat collector database.");
            }

            PassingStore.CheckSchema(connection, path, tables);
            return new CollectedRace(connection, path);
        });
    }

    /// <summary>Reads every chip passing the units recorded (markers and test tags left out), in time order.</summary>
    /// <returns>The passings, by time, then unit and sequence number.</returns>
    /// <exception cref="CollectorDatabaseException">The file is damaged.</exception>
    public List<StoredPassing> ReadChipPassings()
    {
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT unit, seq, epc, time_us, hits, rssi_cdbm, antenna, clock, uncertainty_us, flags, received_us, source FROM passings " +
                $"WHERE kind = 'crossing' AND (flags & {(int)PassingFlags.TestTag}) = 0 ORDER BY time_us, unit, seq";
            var result = new List<StoredPassing>();
            var chips = new Dictionary<string, string>(StringComparer.Ordinal);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var epc = reader.GetString(2);
                if (!chips.TryGetValue(epc, out var shared))
                {
                    chips[epc] = shared = epc; // one string per chip, however many passings it has
                }

                result.Add(new StoredPassing(
                    reader.GetInt32(0), reader.GetInt64(1), shared, reader.GetInt64(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6),
                    reader.GetString(7), reader.GetInt64(8), (PassingFlags)reader.GetInt32(9), reader.GetInt64(10), reader.GetString(11)));
            }

            return result;
        }
        catch (SqliteException e)
        {
            throw new CollectorDatabaseException($"'{Path}' cannot be read ({e.Message.TrimEnd('.')}); it may be damaged.", e);
        }
    }

    /// <summary>Reads the course file text the collector last merged crossings with (<c>collect --course</c>).</summary>
    /// <returns>The text, or null when the collector ran without a course.</returns>
    /// <exception cref="CollectorDatabaseException">The file is damaged.</exception>
    public string? ReadCourse()
    {
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT value FROM meta WHERE key = 'course'";
            return command.ExecuteScalar() as string;
        }
        catch (SqliteException e)
        {
            throw new CollectorDatabaseException($"'{Path}' cannot be read ({e.Message.TrimEnd('.')}); it may be damaged.", e);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();
}
