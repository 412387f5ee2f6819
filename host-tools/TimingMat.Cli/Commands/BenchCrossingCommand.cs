using System.CommandLine;
using System.Globalization;
using TimingMat.Bench.Crossings;
using TimingMat.Cli.Infrastructure;
using TimingMat.Emulators.Crossings;

namespace TimingMat.Cli.Commands;

/// <summary>
/// <c>timingmat bench crossing</c>: runs random runners over the modelled mat, the readers' reads through the read path
/// into the real crossing detector (Peak, First and Last mode) on simulated time, and prints the timing error of each
/// mode against the true crossing times.
/// </summary>
internal static class BenchCrossingCommand
{
    /// <summary>Goal of the Peak-mode p99 error at 3 dB noise and 20 runners/s, ms (issue 5).</summary>
    private const double PeakP99GoalMs = 20;

    public static Command Create(CommandOutput output)
    {
        var noise = new Option<double>("--noise-db") { Description = "Standard deviation of the per-read path-loss noise, dB", DefaultValueFactory = _ => 3.0 };
        var crossings = new Option<int>("--crossings") { Description = "Chip crossings to run", DefaultValueFactory = _ => 2000 };
        var rate = new Option<double>("--runners-per-s") { Description = "Runners crossing the mat per second (Poisson arrivals)", DefaultValueFactory = _ => 20.0 };
        var seed = new Option<int>("--seed") { Description = "Seed of the runners and the radio (runs are reproducible)", DefaultValueFactory = _ => 1 };
        var readsOut = new Option<string?>("--reads-out") { Description = "Also write every read as CSV: chip,true_crossing_us,read_time_us,rssi_dbm,antenna", HelpName = "FILE.csv" };
        var readsPerSecond = new Option<double>("--reads-per-s") { Description = "Read-rate limit of each reader, shared by the chips in its field", DefaultValueFactory = _ => new CrossingModelSettings().ReaderReadsPerSecond };
        var readers = new Option<int>("--readers") { Description = "Readers on the mat, each with its own read-rate limit (all antennas spread evenly across its 5 m)", DefaultValueFactory = _ => 1 };
        var antennas = new Option<int>("--antennas") { Description = "Antenna ports per reader, switched in turn (1: a reader per antenna, no multiplexing)", DefaultValueFactory = _ => new CrossingModelSettings().AntennasPerReader };
        var twoChips = new Option<double>("--two-chips") { Description = "Share of runners wearing two chips, 0-1", DefaultValueFactory = _ => 0.0 };
        var chips = new Option<int>("--chips") { Description = "Detector chip capacity, as board.cfg crossings.chips (1024+ keeps 64 reads per crossing)", DefaultValueFactory = _ => 256 };
        var reaction = new Option<int?>("--reaction-ms") { Description = "Detector reaction window, ms (default 850; the start and check-in roles use 2000: walkers and a jogging crowd stay longer in the field)", HelpName = "MS" };
        var minSpeed = new Option<double>("--min-speed") { Description = "Slowest runner, m/s (walkers at a check-in: 1; a jogging start: 1.5)", DefaultValueFactory = _ => new RandomRunnerSettings().MinSpeedMps, HelpName = "M/S" };
        var maxSpeed = new Option<double>("--max-speed") { Description = "Fastest runner, m/s", DefaultValueFactory = _ => new RandomRunnerSettings().MaxSpeedMps, HelpName = "M/S" };

        // What the real world does and the peak fit does not assume (all off by default: the fit's own curve).
        var fades = new Option<double>("--fades") { Description = "Mismatch: share of reads hit by a multipath fade, 0-1 (each fade takes half of --fade-db to all of it)", DefaultValueFactory = _ => 0.0, HelpName = "SHARE" };
        var fadeDb = new Option<double>("--fade-db") { Description = "Deepest multipath fade, dB", DefaultValueFactory = _ => new CrossingModelSettings().FadeMaxDb, HelpName = "DB" };
        var shadow = new Option<double>("--body-shadow-db") { Description = "Mismatch: extra loss once the runner is past the line (the body between a chest tag and the mat), dB", DefaultValueFactory = _ => 0.0, HelpName = "DB" };
        var pathLoss = new Option<double>("--path-loss-exponent") { Description = "Mismatch: two-way path-loss exponent (the fit assumes 4, free space both ways)", DefaultValueFactory = _ => new CrossingModelSettings().PathLossExponent, HelpName = "N" };
        var beam = new Option<double>("--beam-exponent") { Description = "Mismatch: mat antenna beam cos^N, one way (the fit assumes 4: a 65-degree patch)", DefaultValueFactory = _ => new CrossingModelSettings().BeamExponent, HelpName = "N" };
        var tilt = new Option<double?>("--tag-tilt-deg") { Description = "Mismatch: the tag is a dipole tilted up to this many degrees from across the course (a crooked bib); off: a tag alike in every direction", HelpName = "DEG" };
        var rssiStep = new Option<double>("--rssi-step-db") { Description = "Mismatch: the RSSI resolution the reader reports, dB (M6e and R2000: 1)", DefaultValueFactory = _ => 1.0, HelpName = "DB" };
        var fitShadow = new Option<double>("--fit-shadow-db") { Description = "Detector: the body shadow the peak fit corrects for, dB (board.cfg crossings.body_shadow_db; 0: none)", DefaultValueFactory = _ => 0.0, HelpName = "DB" };
        var json = JsonOption.Create();
        var command = new Command("crossing", "Crossing-time accuracy: the crossing model's reads through the real detector, error against the true crossing times")
        {
            noise,
            crossings,
            rate,
            seed,
            readsOut,
            readsPerSecond,
            readers,
            antennas,
            twoChips,
            chips,
            reaction,
            minSpeed,
            maxSpeed,
            fades,
            fadeDb,
            shadow,
            pathLoss,
            beam,
            tilt,
            rssiStep,
            fitShadow,
            json,
        };
        command.SetAction(parse => Run(
            output,
            new Arguments(parse.GetValue(noise), parse.GetValue(crossings), parse.GetValue(rate), parse.GetValue(seed), parse.GetValue(readsPerSecond), parse.GetValue(readers), parse.GetValue(antennas), parse.GetValue(twoChips), parse.GetValue(chips))
            {
                ReactionMs = parse.GetValue(reaction),
                MinSpeed = parse.GetValue(minSpeed),
                MaxSpeed = parse.GetValue(maxSpeed),
                Fades = parse.GetValue(fades),
                FadeDb = parse.GetValue(fadeDb),
                BodyShadowDb = parse.GetValue(shadow),
                PathLossExponent = parse.GetValue(pathLoss),
                BeamExponent = parse.GetValue(beam),
                TagTiltDeg = parse.GetValue(tilt),
                RssiStepDb = parse.GetValue(rssiStep),
                FitShadowDb = parse.GetValue(fitShadow),
            },
            parse.GetValue(readsOut),
            JsonOption.Target(parse, json)));
        return command;
    }

    private static int Run(CommandOutput output, Arguments args, string? readsOut, string? json)
    {
        var settings = args.ToSettings();
        CrossingBenchResult result;
        using (var csv = OpenReadsOut(readsOut))
        {
            result = CrossingBench.Run(settings, csv);
            try
            {
                csv?.Flush();
            }
            catch (IOException e)
            {
                throw new CliException(ExitCode.StorageFailed, $"cannot write '{readsOut}': {e.Message}");
            }
        }

        if (json != JsonOption.StandardOutput)
        {
            WriteText(output.Out, args, settings, result, readsOut);
        }

        if (json != null)
        {
            output.WriteJson(
                new
                {
                    Peak = Figures(result.Peak),
                    First = Figures(result.First),
                    Last = Figures(result.Last),
                    result.Missed,
                    result.Crossings,
                    result.Seed,
                    result.ReadsPerCrossing,
                    Bound = BoundJson(result.Bound),
                    BoundKnownCurve = BoundJson(result.BoundKnownCurve),
                    PeakP99OverBound = result.Bound.P99Ms is > 0 and { } b ? Math.Round(result.Peak.P99Ms / b, 2) : (double?)null,
                    Model = new
                    {
                        settings.Model.NoiseDb,
                        settings.Model.FadeFraction,
                        settings.Model.FadeMaxDb,
                        settings.Model.BodyShadowDb,
                        settings.Model.PathLossExponent,
                        settings.Model.BeamExponent,
                        settings.Model.TagTiltMaxDeg,
                        RssiStepDb = settings.RssiStepCentiDbm / 100.0,
                        ReactionMs = settings.Detector(Core.Crossings.DetectionMode.Peak).ReactionMicros / 1000,
                        FitShadowDb = settings.Detector(Core.Crossings.DetectionMode.Peak).BodyShadowCentiDb / 100.0,
                        MinSpeedMps = settings.Runners.MinSpeedMps,
                        MaxSpeedMps = settings.Runners.MaxSpeedMps,
                    },
                },
                json == JsonOption.StandardOutput ? null : json);
        }

        return (int)ExitCode.Ok;
    }

    private static object Figures(CrossingErrorFigures summary) => new { summary.P50Ms, summary.P99Ms, summary.MaxMs, BiasMs = summary.MeanSignedMs };

    private static object BoundJson(BoundFigures bound) => new { bound.P50Ms, bound.P99Ms };

    private static StreamWriter? OpenReadsOut(string? path)
    {
        if (path == null)
        {
            return null;
        }

        try
        {
            return new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CliException(ExitCode.StorageFailed, $"cannot write '{path}': {e.Message}", "give a writable file path; its folder must exist.");
        }
    }

    private static void WriteText(TextWriter text, Arguments args, CrossingBenchSettings settings, CrossingBenchResult result, string? readsOut)
    {
        var model = settings.Model;
        var c = CultureInfo.InvariantCulture;
        text.WriteLine(string.Create(c, $"TimingMat bench crossing: {result.Crossings} chip crossings, {args.RunnersPerSecond:0.##} runners/s, noise {args.NoiseDb:0.##} dB, seed {result.Seed}"));
        var detector = settings.Detector(Core.Crossings.DetectionMode.Peak);
        var corrected = detector.BodyShadowCentiDb > 0 ? string.Create(c, $", body shadow {detector.BodyShadowCentiDb / 100.0:0.##} dB corrected") : string.Empty;
        text.WriteLine(string.Create(c, $"Mat {model.MatWidthM:0.#} m, {model.Readers} reader(s) x {model.AntennasPerReader} antennas, {model.ReaderReadsPerSecond:0} reads/s each; detector {settings.ChipCapacity} chips, reaction {detector.ReactionMicros / 1000} ms{corrected}; {result.Reads} reads ({(double)result.Reads / Math.Max(1, result.Crossings):0.0} per crossing) in {result.SimulatedSeconds:0.0} s simulated."));
        text.WriteLine(MismatchLine(settings));
        text.WriteLine();
        text.WriteLine("  mode    p50 ms   p99 ms   max ms   bias ms");
        Row(text, "peak", result.Peak);
        Row(text, "first", result.First);
        Row(text, "last", result.Last);
        BoundRow(text, "bound", result.Bound);
        BoundRow(text, "known", result.BoundKnownCurve);
        text.WriteLine("  (bound: Cramér–Rao bound for these reads, runner speed and position unknown; known: the exact curve known;");
        text.WriteLine("   bias: mean signed error, negative = early; the bound assumes the fit's curve, so a mismatch shows as p99 above it)");
        if (result.Bound.P99Ms is > 0 and { } boundP99)
        {
            text.WriteLine(string.Create(c, $"peak p99 / bound p99 = {result.Peak.P99Ms / boundP99:0.00}"));
        }

        text.WriteLine();
        text.WriteLine(string.Create(c, $"missed {result.Missed} (covered tags {result.Blocked}), duplicates {result.Duplicates}, fit fallbacks {result.FitFallbacks}, capacity-closed {result.CapacityClosed}"));
        var met = result.Peak.P99Ms <= PeakP99GoalMs;
        text.WriteLine(string.Create(c, $"goal: peak p99 <= {PeakP99GoalMs:0} ms at 3 dB and 20 runners/s -> {result.Peak.P99Ms:0.0} ms, {(met ? "met" : "not met")}"));
        if (readsOut != null)
        {
            text.WriteLine($"reads written to {readsOut}");
        }
    }

    private static string MismatchLine(CrossingBenchSettings settings)
    {
        var m = settings.Model;
        var c = CultureInfo.InvariantCulture;
        var parts = new List<string>();
        if (m.FadeFraction > 0)
        {
            parts.Add(string.Create(c, $"{m.FadeFraction:0.###} of reads faded {m.FadeMaxDb / 2:0.#}-{m.FadeMaxDb:0.#} dB"));
        }

        if (m.BodyShadowDb > 0)
        {
            parts.Add(string.Create(c, $"body shadow {m.BodyShadowDb:0.#} dB after the line"));
        }

        if (m.PathLossExponent != 4)
        {
            parts.Add(string.Create(c, $"path-loss exponent {m.PathLossExponent:0.##}"));
        }

        if (m.BeamExponent != 4)
        {
            parts.Add(string.Create(c, $"beam cos^{m.BeamExponent:0.##}"));
        }

        if (m.TagTiltMaxDeg is { } tilt)
        {
            parts.Add(string.Create(c, $"dipole tags tilted up to {tilt:0.#} deg"));
        }

        if (settings.RssiStepCentiDbm != 100)
        {
            parts.Add(string.Create(c, $"RSSI in {settings.RssiStepCentiDbm / 100.0:0.##} dB steps"));
        }

        var speeds = string.Create(c, $"runners {settings.Runners.MinSpeedMps:0.##}-{settings.Runners.MaxSpeedMps:0.##} m/s");
        return parts.Count == 0
            ? speeds + "; the fit's own curve (no mismatch option)."
            : speeds + "; mismatch: " + string.Join(", ", parts) + ".";
    }

    private static void BoundRow(TextWriter text, string name, BoundFigures b) =>
        text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name,-5} {b.P50Ms,8:0.0} {(b.P99Ms is { } p99 ? p99.ToString("0.0", CultureInfo.InvariantCulture) : "inf"),8}"));

    private static void Row(TextWriter text, string mode, CrossingErrorFigures s) =>
        text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {mode,-5} {s.P50Ms,8:0.0} {s.P99Ms,8:0.0} {s.MaxMs,8:0.0} {s.MeanSignedMs,9:+0.0;-0.0;0.0}"));

    private sealed record Arguments(double NoiseDb, int Crossings, double RunnersPerSecond, int Seed, double ReadsPerSecond, int Readers, int Antennas, double TwoChips, int Chips)
    {
        public int? ReactionMs { get; init; }

        public double MinSpeed { get; init; } = new RandomRunnerSettings().MinSpeedMps;

        public double MaxSpeed { get; init; } = new RandomRunnerSettings().MaxSpeedMps;

        public double Fades { get; init; }

        public double FadeDb { get; init; } = new CrossingModelSettings().FadeMaxDb;

        public double BodyShadowDb { get; init; }

        public double PathLossExponent { get; init; } = new CrossingModelSettings().PathLossExponent;

        public double BeamExponent { get; init; } = new CrossingModelSettings().BeamExponent;

        public double? TagTiltDeg { get; init; }

        public double RssiStepDb { get; init; } = 1;

        public double FitShadowDb { get; init; }

        public CrossingBenchSettings ToSettings()
        {
            var c = CultureInfo.InvariantCulture;
            Check(MinSpeed is >= 0.5 and <= 12 && MaxSpeed >= MinSpeed && MaxSpeed <= 12, string.Create(c, $"--min-speed and --max-speed must satisfy 0.5 <= min <= max <= 12 m/s, not {MinSpeed} and {MaxSpeed}."));
            Check(Fades is >= 0 and <= 1, string.Create(c, $"--fades must be between 0 and 1, not {Fades}."));
            Check(FadeDb is >= 0 and <= 60, string.Create(c, $"--fade-db must be between 0 and 60, not {FadeDb}."));
            Check(BodyShadowDb is >= 0 and <= 40, string.Create(c, $"--body-shadow-db must be between 0 and 40, not {BodyShadowDb}."));
            Check(PathLossExponent is >= 2 and <= 8, string.Create(c, $"--path-loss-exponent must be between 2 and 8, not {PathLossExponent}."));
            Check(BeamExponent is >= 0 and <= 20, string.Create(c, $"--beam-exponent must be between 0 and 20, not {BeamExponent}."));
            Check(TagTiltDeg is null or (>= 0 and <= 90), string.Create(c, $"--tag-tilt-deg must be between 0 and 90, not {TagTiltDeg}."));
            Check(RssiStepDb is >= 0.01 and <= 10, string.Create(c, $"--rssi-step-db must be between 0.01 and 10, not {RssiStepDb}."));
            Check(ReactionMs is null or (>= 50 and <= 60_000), string.Create(c, $"--reaction-ms must be between 50 and 60000, not {ReactionMs}."));
            Check(FitShadowDb is >= 0 and <= 30, string.Create(c, $"--fit-shadow-db must be between 0 and 30, not {FitShadowDb}."));
            var reaction = ReactionMs;
            var fitShadow = (int)Math.Round(FitShadowDb * 100);
            Check(NoiseDb is >= 0 and <= 20, $"--noise-db must be between 0 and 20, not {NoiseDb.ToString(CultureInfo.InvariantCulture)}.");
            Check(Crossings is >= 1 and <= 1_000_000, $"--crossings must be between 1 and 1000000, not {Crossings}.");
            Check(RunnersPerSecond is > 0 and <= 200, $"--runners-per-s must be above 0 and at most 200, not {RunnersPerSecond.ToString(CultureInfo.InvariantCulture)}.");
            Check(ReadsPerSecond is >= 1 and <= 100_000, $"--reads-per-s must be between 1 and 100000, not {ReadsPerSecond.ToString(CultureInfo.InvariantCulture)}.");
            Check(Readers is >= 1 and <= 8, $"--readers must be between 1 and 8, not {Readers}.");
            Check(Antennas is >= 1 and <= 16, $"--antennas must be between 1 and 16, not {Antennas}.");
            Check(TwoChips is >= 0 and <= 1, $"--two-chips must be between 0 and 1, not {TwoChips.ToString(CultureInfo.InvariantCulture)}.");
            Check(Chips is >= 16 and <= 16384, $"--chips must be between 16 and 16384, not {Chips}.");
            var model = new CrossingModelSettings();
            return new CrossingBenchSettings
            {
                Seed = Seed,
                Crossings = Crossings,
                ChipCapacity = Chips,
                RssiStepCentiDbm = (int)Math.Round(RssiStepDb * 100),
                ConfigureDetector = detector =>
                {
                    if (reaction is { } ms)
                    {
                        detector.ReactionMicros = ms * 1000L;
                    }

                    detector.BodyShadowCentiDb = fitShadow;
                },
                Runners = new RandomRunnerSettings { RunnersPerSecond = RunnersPerSecond, TwoChipFraction = TwoChips, MinSpeedMps = MinSpeed, MaxSpeedMps = MaxSpeed },
                Model = model with
                {
                    NoiseDb = NoiseDb,
                    Readers = Readers,
                    AntennasPerReader = Antennas,
                    ReaderReadsPerSecond = ReadsPerSecond,
                    ChipReadsPerSecond = Math.Min(model.ChipReadsPerSecond, ReadsPerSecond),
                    MinSpeedMps = Math.Min(model.MinSpeedMps, MinSpeed),
                    FadeFraction = Fades,
                    FadeMaxDb = FadeDb,
                    BodyShadowDb = BodyShadowDb,
                    PathLossExponent = PathLossExponent,
                    BeamExponent = BeamExponent,
                    TagTiltMaxDeg = TagTiltDeg,
                },
            };
        }

        private static void Check(bool ok, string message)
        {
            if (!ok)
            {
                throw new CliException(ExitCode.InvalidInput, message, "run 'timingmat bench crossing --help' for the ranges.");
            }
        }
    }
}
