using System.Globalization;
using System.Reflection;
using System.Text.Json;
using TimingMat.Core.RaceDay;
using TimingMat.Core.Unit;
using TimingMat.Host.Json;

namespace TimingMat.Simulation.Scenarios;

/// <summary>
/// Reads and validates scenario files (format: docs/scenario-format.md). Every error names the file and the exact
/// JSON path (or line and column for syntax errors) and says what is expected; nothing is silently defaulted from a
/// misspelt key.
/// </summary>
public static class ScenarioLoader
{
    private const long MicrosPerSecond = 1_000_000;

    private static readonly Dictionary<string, FaultKind> s_faults = new(StringComparer.Ordinal)
    {
        ["uplink_outage"] = FaultKind.UplinkOutage,
        ["broker_restart"] = FaultKind.BrokerRestart,
        ["gps_loss"] = FaultKind.GpsLoss,
        ["power_cut"] = FaultKind.PowerCut,
        ["reader_silence"] = FaultKind.ReaderSilence,
        ["lora_only"] = FaultKind.LoraOnly,
    };

    /// <summary>Gives the name a fault kind has in a scenario file (and in the report).</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>Its snake_case name, e.g. <c>uplink_outage</c>.</returns>
    public static string FaultName(FaultKind kind) => s_faults.First(f => f.Value == kind).Key;

    /// <summary>Gets the names of the built-in scenarios.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = ["half", "full", "fun"];

    /// <summary>Loads a built-in scenario.</summary>
    /// <param name="name"><c>half</c> or <c>full</c>.</param>
    /// <returns>The scenario.</returns>
    /// <exception cref="ArgumentException">No built-in scenario has that name.</exception>
    public static Scenario LoadBuiltIn(string name)
    {
        if (!BuiltInNames.Contains(name))
        {
            throw new ArgumentException($"no built-in scenario '{name}'; built-in: {string.Join(", ", BuiltInNames)}", nameof(name));
        }

        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"TimingMat.Simulation.Scenarios.{name}.json")!;
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), name);
    }

    /// <summary>Returns the JSON text of a built-in scenario, e.g. to start a custom file from it.</summary>
    /// <param name="name"><c>half</c> or <c>full</c>.</param>
    /// <returns>The JSON text.</returns>
    public static string BuiltInText(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"TimingMat.Simulation.Scenarios.{name}.json")
            ?? throw new ArgumentException($"no built-in scenario '{name}'", nameof(name));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Parses a time of day as scenario files write it: <c>HH:MM</c>, <c>HH:MM:SS</c> or <c>HH:MM:SS.fff</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="timeOfDay">The time of day when it parses.</param>
    /// <returns><c>true</c> when the text is a time of day below 24:00.</returns>
    public static bool TryParseTimeOfDay(string text, out TimeSpan timeOfDay)
    {
        string[] formats = [@"hh\:mm", @"hh\:mm\:ss", @"hh\:mm\:ss\.FFF"];
        return TimeSpan.TryParseExact(text, formats, CultureInfo.InvariantCulture, out timeOfDay) && timeOfDay < TimeSpan.FromDays(1);
    }

    /// <summary>Gives the UTC time of a local time of day on a date in a time zone.</summary>
    /// <param name="date">The day.</param>
    /// <param name="utcOffset">The zone's offset from UTC.</param>
    /// <param name="timeOfDay">Local time of day.</param>
    /// <returns>UTC µs since 1970.</returns>
    public static long UtcMicrosOf(DateOnly date, TimeSpan utcOffset, TimeSpan timeOfDay)
    {
        var utc = new DateTimeOffset(date.ToDateTime(TimeOnly.FromTimeSpan(timeOfDay)), utcOffset).UtcDateTime;
        return (utc - DateTime.UnixEpoch).Ticks / 10;
    }

    /// <summary>Parses and validates scenario JSON.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="source">File or scenario name, for messages.</param>
    /// <returns>The scenario.</returns>
    /// <exception cref="ScenarioException">The text is not valid JSON or not a valid scenario.</exception>
    public static Scenario Parse(string json, string source)
    {
        try
        {
            return JsonCursor.Parse(json, source, root => new Reader().Read(root));
        }
        catch (JsonInputException e) when (e is not ScenarioException)
        {
            throw new ScenarioException(e.Source, e.Location, e.Problem);
        }
    }

    private sealed class Reader
    {
        private DateOnly _date;
        private TimeSpan _offset;

        public Scenario Read(JsonCursor root)
        {
            var name = root.String("name");
            var description = root.String("description", string.Empty);
            var seed = root.Int("seed", 0, int.MaxValue, 1);
            _date = ParseDate(root);
            _offset = ParseOffset(root);

            var waves = ReadWaves(root);
            var corrals = ReadCorrals(root, waves);
            var course = root.Object("course");
            var distance = course.Number("distance_km", 0.1, 250);
            var mats = ReadMats(course, distance, corrals, waves);
            course.RejectUnknownKeys();
            var runners = ReadRunners(root.Object("runners"));
            var gps = ReadGps(root);
            var lora = ReadLora(root);
            var faults = ReadFaults(root, mats);
            root.RejectUnknownKeys();

            return new Scenario
            {
                Name = name,
                Date = _date,
                UtcOffset = _offset,
                Description = description,
                Seed = seed,
                DistanceKm = distance,
                Mats = mats,
                Corrals = corrals,
                Waves = waves,
                Runners = runners,
                Gps = gps,
                Lora = lora,
                Faults = faults,
            };
        }

        private static DateOnly ParseDate(JsonCursor root)
        {
            var text = root.String("date");
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw root.Error(root.PathOf("date"), $"'{text}' is not a date; expected YYYY-MM-DD");
            }

            return date;
        }

        private static TimeSpan ParseOffset(JsonCursor root)
        {
            var text = root.String("utc_offset", "+00:00");
            if (text.Length != 6 || (text[0] != '+' && text[0] != '-')
                || !TimeSpan.TryParseExact(text[1..], @"hh\:mm", CultureInfo.InvariantCulture, out var magnitude) || magnitude > TimeSpan.FromHours(14))
            {
                throw root.Error(root.PathOf("utc_offset"), $"'{text}' is not a UTC offset; expected +HH:MM or -HH:MM");
            }

            return text[0] == '-' ? -magnitude : magnitude;
        }

        private long LocalTime(JsonCursor cursor, string key)
        {
            var text = cursor.String(key);
            if (!TryParseTimeOfDay(text, out var time))
            {
                throw cursor.Error(cursor.PathOf(key), $"'{text}' is not a time of day; expected HH:MM or HH:MM:SS (local time, utc_offset applies)");
            }

            return UtcMicrosOf(_date, _offset, time);
        }

        private List<WaveSpec> ReadWaves(JsonCursor root)
        {
            var waves = new List<WaveSpec>();
            foreach (var wave in root.Objects("waves", 1, 20))
            {
                var number = wave.Int("number", 1, 20);
                var gun = LocalTime(wave, "gun");
                wave.RejectUnknownKeys();
                if (number != waves.Count + 1)
                {
                    throw wave.Error(wave.PathOf("number"), $"waves must be numbered 1, 2, 3 … in order; expected {waves.Count + 1}, found {number}");
                }

                if (waves.Count > 0 && gun <= waves[^1].GunUtcMicros)
                {
                    throw wave.Error(wave.PathOf("gun"), $"wave {number} fires before or with wave {number - 1}; guns must be in order");
                }

                waves.Add(new WaveSpec(number, gun));
            }

            return waves;
        }

        private static List<CorralSpec> ReadCorrals(JsonCursor root, List<WaveSpec> waves)
        {
            var corrals = new List<CorralSpec>();
            var entries = root.Objects("corrals", 1, 26);
            foreach (var corral in entries)
            {
                var name = corral.String("name");
                var wave = corral.Int("wave", 1, 20);
                var share = corral.Number("share", 0, 1);
                corral.RejectUnknownKeys();
                if (corrals.Any(c => c.Name == name))
                {
                    throw corral.Error(corral.PathOf("name"), $"corral '{name}' is defined twice");
                }

                if (wave > waves.Count)
                {
                    throw corral.Error(corral.PathOf("wave"), $"wave {wave} does not exist; the scenario has {waves.Count} wave(s)");
                }

                corrals.Add(new CorralSpec(name, wave, share));
            }

            var total = corrals.Sum(c => c.Share);
            if (Math.Abs(total - 1) > 0.001)
            {
                throw root.Error(root.PathOf("corrals"), $"corral shares add up to {total.ToString("0.###", CultureInfo.InvariantCulture)}; they must add up to 1");
            }

            foreach (var wave in waves.Where(w => corrals.All(c => c.Wave != w.Number)))
            {
                throw root.Error(root.PathOf("corrals"), $"wave {wave.Number} has no corral");
            }

            return corrals;
        }

        private List<MatSpec> ReadMats(JsonCursor course, double distance, List<CorralSpec> corrals, List<WaveSpec> waves)
        {
            var entries = course.Objects("mats", 2, 64);
            var checkIns = new List<MatSpec>();
            var onCourse = new List<MatSpec>();
            var backups = new List<(JsonCursor Cursor, MatSpec Main, double OffsetM, ReaderSpec Reader)>();
            var unitId = 0;
            foreach (var mat in entries)
            {
                unitId++;
                var name = mat.String("name");
                var roleText = mat.String("role");
                if (!UnitRoleText.TryParse(roleText, out var role))
                {
                    throw mat.Error(mat.PathOf("role"), $"unknown role '{roleText}'; expected one of: check-in, start, split, turnaround, finish");
                }

                if (checkIns.Concat(onCourse).Any(m => m.Name == name))
                {
                    throw mat.Error(mat.PathOf("name"), $"mat '{name}' is defined twice");
                }

                var reader = ReadReader(mat);
                var backup = mat.Has("backup") ? mat.Object("backup") : null;
                MatSpec spec;
                if (role == UnitRole.CheckIn)
                {
                    spec = ReadCheckIn(mat, unitId, name, reader, corrals, waves);
                    checkIns.Add(spec);
                }
                else
                {
                    var km = mat.Number("km", 0, distance);
                    if (onCourse.Count > 0 && km <= onCourse[^1].Km)
                    {
                        throw mat.Error(mat.PathOf("km"), $"{km.ToString(CultureInfo.InvariantCulture)} km is not after the previous course mat '{onCourse[^1].Name}' at {onCourse[^1].Km.ToString(CultureInfo.InvariantCulture)} km; list course mats in course order");
                    }

                    var opens = mat.Has("opens") ? LocalTime(mat, "opens") : waves[0].GunUtcMicros - (30 * 60 * MicrosPerSecond);
                    var cutoff = LocalTime(mat, "cutoff");
                    if (cutoff <= waves[^1].GunUtcMicros)
                    {
                        throw mat.Error(mat.PathOf("cutoff"), "the cut-off is before the last wave's gun");
                    }

                    spec = new MatSpec(unitId, name, role, km, [], opens, cutoff, reader);
                    onCourse.Add(spec);
                }

                if (backup != null)
                {
                    // Lines closer than about 2 m read the same chips at once; further than 20 m is another timing point.
                    var offset = backup.Number("offset_m", -20, 20, 3);
                    if (Math.Abs(offset) < 1)
                    {
                        throw backup.Error(backup.PathOf("offset_m"), "a backup line lies 1–20 m from the main line (after it positive, before it negative)");
                    }

                    backups.Add((backup, spec, offset, backup.Has("reader") ? ReadReader(backup) : reader));
                    backup.RejectUnknownKeys();
                }

                mat.RejectUnknownKeys();
            }

            // Backup lines' units come after every listed mat, so the listed mats keep their unit ids.
            var all = checkIns.Concat(onCourse).ToList();
            var backupUnits = new List<MatSpec>();
            foreach (var (cursor, main, offset, backupReader) in backups)
            {
                var name = main.Name + "-backup";
                if (all.Any(m => m.Name == name))
                {
                    throw cursor.Error($"the backup line's unit is called '{name}', but a mat has that name already; rename that mat");
                }

                backupUnits.Add(main with { UnitId = entries.Count + backupUnits.Count + 1, Name = name, Reader = backupReader, BackupOf = main.Name, OffsetM = offset });
            }

            var starts = onCourse.Where(m => m.Role == UnitRole.Start).ToList();
            var finishes = onCourse.Where(m => m.Role == UnitRole.Finish).ToList();
            if (starts.Count != 1 || finishes.Count != 1)
            {
                throw course.Error(course.PathOf("mats"), $"a course needs exactly one start and one finish mat; found {starts.Count} start and {finishes.Count} finish");
            }

            if (onCourse[0] != starts[0] || starts[0].Km != 0)
            {
                throw course.Error(course.PathOf("mats"), $"the start mat '{starts[0].Name}' must be the first course mat, at 0 km");
            }

            if (onCourse[^1] != finishes[0] || Math.Abs(finishes[0].Km - distance) > 0.001)
            {
                throw course.Error(course.PathOf("mats"), $"the finish mat '{finishes[0].Name}' must be the last course mat, at distance_km ({distance.ToString(CultureInfo.InvariantCulture)})");
            }

            if (onCourse.Count(m => m.Role == UnitRole.Turnaround) > 1)
            {
                throw course.Error(course.PathOf("mats"), "a course has at most one turnaround mat");
            }

            return [.. checkIns, .. onCourse, .. backupUnits];
        }

        private MatSpec ReadCheckIn(JsonCursor mat, int unitId, string name, ReaderSpec reader, List<CorralSpec> corrals, List<WaveSpec> waves)
        {
            if (!mat.Has("corrals"))
            {
                throw mat.Error(mat.PathOf("corrals"), "a check-in mat needs the list of corrals it serves");
            }

            var list = mat.Element.GetProperty("corrals");
            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0 || list.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                throw mat.Error(mat.PathOf("corrals"), "expected a non-empty array of corral names");
            }

            var served = list.EnumerateArray().Select(e => e.GetString()!).ToList();
            foreach (var corral in served.Where(c => corrals.All(k => k.Name != c)))
            {
                throw mat.Error(mat.PathOf("corrals"), $"corral '{corral}' does not exist; corrals: {string.Join(", ", corrals.Select(c => c.Name))}");
            }

            var firstGun = served.Min(c => waves[corrals.First(k => k.Name == c).Wave - 1].GunUtcMicros);
            var opens = LocalTime(mat, "opens");
            var cutoff = LocalTime(mat, "cutoff");
            if (cutoff <= opens || cutoff > firstGun)
            {
                throw mat.Error(mat.PathOf("cutoff"), "a check-in closes after it opens and no later than its first corral's gun");
            }

            return new MatSpec(unitId, name, UnitRole.CheckIn, 0, served, opens, cutoff, reader);
        }

        private static ReaderSpec ReadReader(JsonCursor mat)
        {
            if (!mat.Has("reader"))
            {
                return new ReaderSpec(ReaderProtocol.R2000, 540, 4);
            }

            var reader = mat.Object("reader");
            var typeText = reader.String("type");
            if (!ReaderTypeText.TryParse(typeText, out var type))
            {
                throw reader.Error(reader.PathOf("type"), $"unknown reader type '{typeText}'; expected {ReaderTypeText.Expected}");
            }

            var mercury = type == ReaderProtocol.Mercury;
            var spec = new ReaderSpec(type, reader.Int("reads_per_s", 10, 5000), reader.Int("antennas", 1, 8, mercury ? 1 : 4), reader.Int("modules", 1, MatUnit.MaxReaders, 1));
            reader.RejectUnknownKeys();

            // A tag frame is 47 bytes in Mercury (metadata 0x01FF, 96-bit EPC) and 21 in the 0xA0 protocol; at 115,200
            // baud (10 bits a byte) that is about 245 and 548 frames/s. A faster read rate would only be dropped in the module.
            var limit = mercury ? 240 : 540;
            if (spec.ReadsPerSecond > limit)
            {
                throw reader.Error(reader.PathOf("reads_per_s"), $"{spec.ReadsPerSecond} reads/s is more than a {ReaderTypeText.Name(type)} module can report over its 115,200-baud UART (about {limit} tag frames/s); use at most {limit}");
            }

            return spec;
        }

        private static RunnerSpec ReadRunners(JsonCursor runners)
        {
            var pace = runners.Object("pace_s_per_km");
            var spec = new RunnerSpec
            {
                Count = runners.Int("count", 1, 100_000),
                MedianPaceSecondsPerKm = pace.Number("median", 120, 1200),
                PaceSpread = pace.Number("spread", 0, 0.8),
                FastestPaceSecondsPerKm = pace.Number("fastest", 100, 1200),
                SlowestPaceSecondsPerKm = pace.Number("slowest", 100, 2400),
                StartRatePerSecond = runners.Number("start_rate_per_s", 1, 100, 25),
                TwoChipsShare = runners.Number("two_chips_share", 0, 0.2, 0),
                BadBibShare = runners.Number("bad_bib_share", 0, 1, 0),
                DropoutShare = runners.Number("dropout_share", 0, 1, 0),
                SkipMatShare = runners.Number("skip_mat_share", 0, 1, 0),
                LateStartShare = runners.Number("late_start_share", 0, 1, 0),
                CheckInShare = runners.Number("checkin_share", 0, 1, 1),
            };
            pace.RejectUnknownKeys();
            runners.RejectUnknownKeys();
            if (spec.FastestPaceSecondsPerKm > spec.MedianPaceSecondsPerKm || spec.SlowestPaceSecondsPerKm < spec.MedianPaceSecondsPerKm)
            {
                throw pace.Error("fastest <= median <= slowest must hold (seconds per km: a smaller number is faster)");
            }

            return spec;
        }

        private static GpsSpec ReadGps(JsonCursor root)
        {
            if (!root.Has("gps"))
            {
                return new GpsSpec(20, 0.5, "heavy");
            }

            var gps = root.Object("gps");
            var latency = gps.String("latency", "heavy");
            if (latency is not ("heavy" or "uniform2"))
            {
                throw gps.Error(gps.PathOf("latency"), $"unknown latency model '{latency}'; expected heavy or uniform2");
            }

            var spec = new GpsSpec(gps.Number("oscillator_ppm", 0, 100, 20), gps.Number("wander_ppm", 0, 10, 0.5), latency);
            gps.RejectUnknownKeys();
            return spec;
        }

        private static LoRaSpec ReadLora(JsonCursor root)
        {
            if (!root.Has("lora"))
            {
                return LoRaSpec.Default;
            }

            var lora = root.Object("lora");
            var d = LoRaSpec.Default;
            var spec = new LoRaSpec(
                lora.Bool("fitted", d.Fitted),
                lora.Int("spreading_factor", 7, 12, d.SpreadingFactor),
                lora.Number("duty_cycle_percent", 0.1, 100, d.DutyCyclePercent),
                lora.Number("packet_loss", 0, 0.5, d.PacketLoss),
                lora.Number("fallback_after_s", 0, 3600, d.FallbackAfterSeconds));
            lora.RejectUnknownKeys();
            return spec;
        }

        private List<FaultSpec> ReadFaults(JsonCursor root, List<MatSpec> mats)
        {
            if (!root.Has("faults"))
            {
                return [];
            }

            var faults = new List<FaultSpec>();
            foreach (var fault in root.Objects("faults", 0, 200))
            {
                var kindText = fault.String("kind");
                if (!s_faults.TryGetValue(kindText, out var kind))
                {
                    throw fault.Error(fault.PathOf("kind"), $"unknown fault '{kindText}'; expected one of: {string.Join(", ", s_faults.Keys)}");
                }

                string? mat = null;
                if (kind != FaultKind.BrokerRestart)
                {
                    mat = fault.String("mat");
                    if (mats.All(m => m.Name != mat))
                    {
                        throw fault.Error(fault.PathOf("mat"), $"no mat named '{mat}'; mats: {string.Join(", ", mats.Select(m => m.Name))}");
                    }
                }

                long at = 0;
                long duration = 0;
                if (kind != FaultKind.LoraOnly)
                {
                    at = LocalTime(fault, "at");
                    var needsDuration = kind is FaultKind.UplinkOutage or FaultKind.GpsLoss or FaultKind.PowerCut or FaultKind.ReaderSilence;
                    duration = (long)(fault.Number("for_s", 0.001, 24 * 3600, needsDuration ? null : 5) * MicrosPerSecond);
                }

                fault.RejectUnknownKeys();
                faults.Add(new FaultSpec(kind, mat, at, duration));
            }

            return [.. faults.OrderBy(f => f.AtUtcMicros)];
        }
    }
}
