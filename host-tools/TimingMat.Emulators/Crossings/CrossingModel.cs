using TimingMat.Emulators.Reader;

namespace TimingMat.Emulators.Crossings;

/// <summary>
/// The physical crossing model: runners from an <see cref="IRunnerStream"/> cross a mat, each chip's RSSI at each
/// antenna follows from geometry (two-way path loss and the antenna's beam, over the chip's height and lateral
/// offset), per-read noise and tag placement losses, and the mat's readers read the chips in inventory rounds that
/// share each reader's read-rate limit among every chip in its field. Each reader is an <see cref="ITagSource"/>.
/// </summary>
/// <remarks>
/// <para>
/// The model takes runners from the stream only shortly before they can reach the field and forgets them once every
/// reader has passed their exit, so a seven-hour race keeps memory flat. Everything random is seeded: the same
/// settings, stream and seed give the same reads whatever steps the readers are advanced in.
/// </para>
/// <para>
/// A reader works antenna by antenna (dwell per port) and in rounds: the chips that can answer share the round, one
/// slot each, at the reader's read rate, and a round lasts at least the single-chip minimum. A chip is read in its
/// slot when its RSSI there, noise included, reaches the sensitivity.
/// </para>
/// </remarks>
public sealed class CrossingModel
{
    private readonly CrossingModelSettings _settings;
    private readonly IRunnerStream _stream;
    private readonly Random _physics;
    private readonly ModelReader[] _readers;
    private readonly double[] _antennaLateralM;
    private readonly List<FieldChip> _field = [];
    private readonly Queue<TrueCrossing> _truth = new();
    private readonly long _lookaheadMicros;
    private RunnerCrossing? _next;
    private bool _streamEnded;
    private long _pulledUntil = long.MinValue;

    /// <summary>Initializes a new instance of the <see cref="CrossingModel"/> class.</summary>
    /// <param name="settings">Geometry, radio and readers.</param>
    /// <param name="runners">The runners, in order of crossing time.</param>
    /// <param name="seed">Seed of the per-crossing losses and of every reader's noise and slot order.</param>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public CrossingModel(CrossingModelSettings settings, IRunnerStream runners, int seed)
    {
        settings.Validate();
        _settings = settings;
        _stream = runners;
        _physics = new Random(seed);
        var total = settings.Readers * settings.AntennasPerReader;
        _antennaLateralM = new double[total];
        for (var k = 0; k < total; k++)
        {
            _antennaLateralM[k] = (-settings.MatWidthM / 2) + ((k + 0.5) * settings.MatWidthM / total);
        }

        ReadRangeM = ComputeReadRange();
        _lookaheadMicros = (long)((ReadRangeM + 1.0) / settings.MinSpeedMps * 1e6);
        _readers = new ModelReader[settings.Readers];
        for (var r = 0; r < settings.Readers; r++)
        {
            _readers[r] = new ModelReader(this, r, unchecked((seed * 31) + 7919 + r));
        }
    }

    /// <summary>Gets the settings.</summary>
    public CrossingModelSettings Settings => _settings;

    /// <summary>Gets the distance along the course beyond which no chip can be read (noise included), m.</summary>
    public double ReadRangeM { get; }

    /// <summary>Gets the number of chips the model holds now (in or near the field): stays small however long the race.</summary>
    public int ChipsHeld => _field.Count;

    /// <summary>Gets where an antenna lies across the mat, from its centre line, m.</summary>
    /// <param name="antenna">Antenna over the whole mat, 0-based: reader × <see cref="CrossingModelSettings.AntennasPerReader"/> + port − 1.</param>
    /// <returns>The lateral position, m.</returns>
    public double AntennaLateralM(int antenna) => _antennaLateralM[antenna];

    /// <summary>Gets one of the mat's readers as a tag source.</summary>
    /// <param name="index">Reader index, 0-based.</param>
    /// <returns>The reader's source of reads.</returns>
    public ITagSource Reader(int index) => _readers[index];

    /// <summary>
    /// Raised for every chip as the model takes its runner from the stream (before its first read), with its truth:
    /// whether the tag is covered this crossing, its speed and true time. The race simulator keeps the covered ones to
    /// explain crossings no reader read.
    /// </summary>
    public event Action<TrueCrossing>? ChipAdmitted;

    /// <summary>
    /// Raised for every chip once every reader has passed its exit from the field (some rounds after it left), with
    /// what the readers made of it: a chip never strong enough to answer was out of the antennas' reach (or covered),
    /// one that could answer but got no slot lost out to the crowd.
    /// </summary>
    public event Action<TrueCrossing, ChipExposure>? ChipLeft;

    /// <summary>
    /// Gets the reads a reader's field offered so far: what the chips in it would have given had the reader no read-rate
    /// limit (each chip read at <see cref="CrossingModelSettings.ChipReadsPerSecond"/> while it could answer). Against
    /// the reads the reader made it shows how far a crowd oversubscribes the reader.
    /// </summary>
    /// <param name="reader">Reader index, 0-based.</param>
    /// <returns>Offered reads since the model started.</returns>
    public double OfferedReads(int reader) => _readers[reader].Offered;

    /// <summary>Tells whether every runner has crossed and left the field by a time (no read can follow it).</summary>
    /// <param name="localMicros">Unit-local µs.</param>
    /// <returns><c>true</c> when the stream has ended and every chip left the field before <paramref name="localMicros"/>.</returns>
    public bool IsFinished(long localMicros)
    {
        PullUntil(localMicros);
        return _streamEnded && _next == null && _field.TrueForAll(c => c.ExitMicros < localMicros);
    }

    /// <summary>
    /// Hands over the true crossings of the chips the model has taken from the stream so far, in stream order. The
    /// model takes a runner shortly before their chips can be read, so a chip's truth is always known before its
    /// first read.
    /// </summary>
    /// <param name="into">List the crossings are appended to.</param>
    /// <returns>The number appended.</returns>
    public int TakeTrueCrossings(List<TrueCrossing> into)
    {
        var n = _truth.Count;
        while (_truth.Count > 0)
        {
            into.Add(_truth.Dequeue());
        }

        return n;
    }

    /// <summary>Computes a chip's RSSI without noise, as an antenna of the mat would see it.</summary>
    /// <param name="alongM">Distance along the course past the mat line, m (negative before it).</param>
    /// <param name="lateralM">Distance across the course from the antenna, m.</param>
    /// <param name="heightM">Height above the mat, m.</param>
    /// <param name="lossDb">Orientation, placement and covering loss, dB.</param>
    /// <returns>RSSI in dBm.</returns>
    public double MeanRssiDbm(double alongM, double lateralM, double heightM, double lossDb)
    {
        var distance = Math.Sqrt((alongM * alongM) + (lateralM * lateralM) + (heightM * heightM));
        var cosine = heightM / distance;
        var rssi = _settings.RssiAt1mDbm - (10 * _settings.PathLossExponent * Math.Log10(distance))
            + (20 * _settings.BeamExponent * Math.Log10(cosine)) - lossDb;
        if (alongM > 0 && _settings.BodyShadowDb > 0)
        {
            rssi -= _settings.BodyShadowDb * Math.Min(1.0, alongM / 0.5);
        }

        return rssi;
    }

    private double ComputeReadRange()
    {
        // The farthest point along the course where any chip height could still be read on a lucky (+4σ) read.
        var margin = 4 * _settings.NoiseDb;
        for (var along = 0.0; along < 50; along += 0.01)
        {
            var best = double.MinValue;
            for (var h = _settings.MinChipHeightM; h <= 3.0; h += 0.05)
            {
                best = Math.Max(best, MeanRssiDbm(along, 0, h, 0));
            }

            if (best + margin < _settings.SensitivityDbm)
            {
                return along;
            }
        }

        return 50;
    }

    private void PullUntil(long localMicros)
    {
        if (localMicros <= _pulledUntil)
        {
            return;
        }

        _pulledUntil = localMicros;
        while (!_streamEnded || _next != null)
        {
            if (_next == null)
            {
                if (!_stream.TryNext(out var runner))
                {
                    _streamEnded = true;
                    break;
                }

                if (runner.SpeedMps < _settings.MinSpeedMps)
                {
                    throw new ArgumentException($"runner {runner.Number} runs {runner.SpeedMps:0.##} m/s, slower than the model's MinSpeedMps {_settings.MinSpeedMps:0.##}.");
                }

                _next = runner;
            }

            if (_next.CrossingMicros - _lookaheadMicros > localMicros)
            {
                break;
            }

            Admit(_next);
            _next = null;
        }
    }

    private void Admit(RunnerCrossing runner)
    {
        var rangeMicros = (long)(ReadRangeM / runner.SpeedMps * 1e6);
        foreach (var chip in runner.Chips)
        {
            var blocked = _physics.NextDouble() < _settings.BlockedFraction;
            var loss = (_physics.NextDouble() * _settings.OrientationLossMaxDb) + (blocked ? _settings.BlockedLossDb : 0);
            var at = runner.ChipCrossingMicros(chip);
            var truth = new TrueCrossing(chip.Epc, at, runner.Number, runner.SpeedMps, blocked);
            _field.Add(new FieldChip(truth, runner.LateralM + chip.LateralOffsetM, chip.HeightM, loss, at - rangeMicros, at + rangeMicros, DrawTagAxis()));
            if (_settings.KeepTrueCrossings)
            {
                _truth.Enqueue(truth);
            }

            ChipAdmitted?.Invoke(truth);
        }
    }

    // A tilted dipole's axis: across the course, turned by up to the tilt toward a random direction (along, lateral, up).
    private double[]? DrawTagAxis()
    {
        if (_settings.TagTiltMaxDeg is not { } max)
        {
            return null;
        }

        var tilt = _physics.NextDouble() * max * Math.PI / 180;
        var toward = _physics.NextDouble() * 2 * Math.PI;
        return [Math.Sin(tilt) * Math.Cos(toward), Math.Cos(tilt), Math.Sin(tilt) * Math.Sin(toward)];
    }

    private void Forget()
    {
        var oldest = long.MaxValue;
        foreach (var reader in _readers)
        {
            oldest = Math.Min(oldest, reader.Now);
        }

        if (ChipLeft != null)
        {
            foreach (var chip in _field)
            {
                if (chip.ExitMicros < oldest)
                {
                    ChipLeft(chip.Truth, new ChipExposure(chip.RoundsAnswerable, chip.Slots, chip.Reads));
                }
            }
        }

        _field.RemoveAll(c => c.ExitMicros < oldest);
    }

    private sealed class FieldChip(TrueCrossing truth, double lateralM, double heightM, double lossDb, long enterMicros, long exitMicros, double[]? tagAxis)
    {
        public TrueCrossing Truth => truth;

        public byte[] Epc => truth.Epc;

        public long TrueMicros => truth.TrueMicros;

        public double SpeedMps => truth.SpeedMps;

        public double LateralM => lateralM;

        public double HeightM => heightM;

        public double LossDb => lossDb;

        public long EnterMicros => enterMicros;

        public long ExitMicros => exitMicros;

        public double[]? TagAxis => tagAxis;

        public int RoundsAnswerable { get; set; }

        public int Slots { get; set; }

        public int Reads { get; set; }
    }

    private sealed class ModelReader(CrossingModel model, int index, int seed) : ITagSource
    {
        private readonly Random _random = new(seed);
        private readonly List<FieldChip> _candidates = [];
        private readonly List<EmulatedRead> _pending = [];
        private int _port;
        private long _dwellEnd = model._settings.AntennaDwellMicros;
        private long _hopEnd;
        private int _channelKhz = model._settings.ChannelsKhz[0];
        private int _rounds;

        public long Now { get; private set; }

        public double Offered { get; private set; }

        public int TakeReads(long untilMicros, List<EmulatedRead> into)
        {
            while (Now <= untilMicros)
            {
                RunRound();
            }

            var taken = 0;
            while (taken < _pending.Count && _pending[taken].AtMicros <= untilMicros)
            {
                into.Add(_pending[taken]);
                taken++;
            }

            _pending.RemoveRange(0, taken);
            return taken;
        }

        private void RunRound()
        {
            var settings = model._settings;
            var t = Now;
            while (t >= _dwellEnd)
            {
                _port = (_port + 1) % settings.AntennasPerReader;
                _dwellEnd += settings.AntennaDwellMicros;
            }

            while (t >= _hopEnd)
            {
                _channelKhz = settings.ChannelsKhz[_random.Next(settings.ChannelsKhz.Count)];
                _hopEnd += settings.HopDwellMicros;
            }

            model.PullUntil(t);
            if (++_rounds % 64 == 0)
            {
                model.Forget();
            }

            var antennaLateral = model._antennaLateralM[(index * settings.AntennasPerReader) + _port];
            _candidates.Clear();
            foreach (var chip in model._field)
            {
                // Chips that can answer this round: in range, and strong enough to be read at least now and then.
                if (chip.EnterMicros <= t && t <= chip.ExitMicros
                    && Rssi(chip, antennaLateral, t) + (2 * settings.NoiseDb) >= settings.SensitivityDbm)
                {
                    _candidates.Add(chip);
                    chip.RoundsAnswerable++;
                }
            }

            var minRound = 1e6 / settings.ChipReadsPerSecond;
            if (_candidates.Count == 0)
            {
                Now = Math.Min(t + (long)minRound, _dwellEnd);
                return;
            }

            var length = Math.Max(_candidates.Count * 1e6 / settings.ReaderReadsPerSecond, minRound);

            // Unlimited, every candidate would be read once per minimum round for as long as this round lasts.
            Offered += _candidates.Count * Math.Min(length, _dwellEnd - t) / minRound;
            for (var k = _candidates.Count - 1; k > 0; k--)
            {
                var j = _random.Next(k + 1);
                (_candidates[k], _candidates[j]) = (_candidates[j], _candidates[k]);
            }

            for (var k = 0; k < _candidates.Count; k++)
            {
                var at = t + (long)((k + 0.5) * length / _candidates.Count);
                if (at >= _dwellEnd)
                {
                    break;
                }

                var chip = _candidates[k];
                chip.Slots++;
                var rssi = Rssi(chip, antennaLateral, at) + (settings.NoiseDb * Gaussian()) - Fade(settings);
                if (rssi >= settings.SensitivityDbm)
                {
                    chip.Reads++;
                    _pending.Add(new EmulatedRead(at, chip.Epc, (int)Math.Round(rssi * 100), _port + 1, _channelKhz));
                }
            }

            Now = Math.Min(t + (long)Math.Ceiling(length), _dwellEnd);
        }

        private double Rssi(FieldChip chip, double antennaLateral, long at)
        {
            var along = chip.SpeedMps * (at - chip.TrueMicros) / 1e6;
            var rssi = model.MeanRssiDbm(along, chip.LateralM - antennaLateral, chip.HeightM, chip.LossDb);
            if (chip.TagAxis is not { } axis)
            {
                return rssi;
            }

            // Dipole power pattern sin²θ each way, θ between the tag's axis and the direction to the antenna; real tags
            // keep some gain along their axis (floor −15 dB each way).
            var toAntenna = (-along * axis[0]) + ((antennaLateral - chip.LateralM) * axis[1]) - (chip.HeightM * axis[2]);
            var distance2 = (along * along) + ((antennaLateral - chip.LateralM) * (antennaLateral - chip.LateralM)) + (chip.HeightM * chip.HeightM);
            var sin2 = Math.Max(1 - (toAntenna * toAntenna / distance2), 0.0316);
            return rssi + (20 * Math.Log10(sin2));
        }

        private double Fade(CrossingModelSettings settings) =>
            settings.FadeFraction > 0 && _random.NextDouble() < settings.FadeFraction
                ? settings.FadeMaxDb * (0.5 + (0.5 * _random.NextDouble()))
                : 0;

        private double Gaussian()
        {
            var u1 = 1.0 - _random.NextDouble();
            var u2 = _random.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
    }
}
