namespace TimingMat.Emulators.Crossings;

/// <summary>
/// The physics of chips crossing a mat, and the readers that read them: mat and antenna geometry, the radio link
/// (path loss, antenna beam, sensitivity, noise), tag placement losses and the readers' read-rate limits.
/// </summary>
/// <remarks>
/// The defaults describe a 5 m start-line mat with one four-port reader (R2000 class) and bib tags at chest height: a
/// chip peaks near −45 dBm over its antenna (RACE RESULT's "perfect" band is −35…−55 dBm) and is read for about 1 s at
/// 4 m/s, the time RACE RESULT's 850 ms reaction time is made for. Every figure is a setting; the bench reports
/// the ones it ran with.
/// </remarks>
public sealed record CrossingModelSettings
{
    /// <summary>Gets the mat's width across the course, m; runners cross anywhere on it.</summary>
    public double MatWidthM { get; init; } = 5.0;

    /// <summary>Gets the number of readers on the mat (each reads its own antennas, with its own rate limit).</summary>
    public int Readers { get; init; } = 1;

    /// <summary>Gets the antenna ports per reader; all antennas lie on the mat line, spread evenly across the width.</summary>
    public int AntennasPerReader { get; init; } = 4;

    /// <summary>Gets the RSSI of a tag 1 m straight above an antenna with no orientation loss, dBm (two-way link).</summary>
    public double RssiAt1mDbm { get; init; } = -42.0;

    /// <summary>Gets the path-loss exponent of the two-way backscatter link (4 = free space both ways).</summary>
    public double PathLossExponent { get; init; } = 4.0;

    /// <summary>Gets the exponent n of the mat antenna's beam, gain ∝ cosⁿ of the angle off vertical (one way).</summary>
    public double BeamExponent { get; init; } = 4.0;

    /// <summary>Gets the weakest signal the reader decodes, dBm.</summary>
    public double SensitivityDbm { get; init; } = -80.0;

    /// <summary>Gets the standard deviation of the per-read path-loss noise, dB (multipath, frequency hops, body movement).</summary>
    public double NoiseDb { get; init; } = 3.0;

    /// <summary>
    /// Gets the share of reads hit by a multipath fade on top of the noise: a reflection in opposite phase takes out
    /// many dB (the outliers the peak fit rejects), where one in phase adds at most 6 dB, which the noise covers.
    /// </summary>
    public double FadeFraction { get; init; }

    /// <summary>Gets the deepest fade, dB; each fade draws uniformly from half of it to all of it.</summary>
    public double FadeMaxDb { get; init; } = 20.0;

    /// <summary>Gets the largest loss from tag orientation and placement, dB; each chip crossing draws uniformly from 0 to it.</summary>
    public double OrientationLossMaxDb { get; init; } = 6.0;

    /// <summary>
    /// Gets the largest tilt of the tag's dipole from across the course, degrees, or null for a tag that radiates
    /// alike in every direction (the default, and what the peak fit assumes). With a value, each chip is a dipole
    /// (power pattern sin² of the angle to its axis, both ways) whose axis lies across the course, tilted by up to this
    /// angle toward a random direction (a crooked, folded or twisted bib): the signal over the crossing then changes
    /// shape with the direction to the antenna, flatter or lopsided, which no constant loss does.
    /// </summary>
    public double? TagTiltMaxDeg { get; init; }

    /// <summary>Gets the share of chip crossings with the tag covered by the body or a hand (bib in a pocket, arm over it).</summary>
    public double BlockedFraction { get; init; } = 0.005;

    /// <summary>Gets the extra loss of a covered tag, dB.</summary>
    public double BlockedLossDb { get; init; } = 30.0;

    /// <summary>Gets the extra loss once the runner is past the mat line, dB (the body between a chest tag and the antenna); 0 keeps the curve symmetric.</summary>
    public double BodyShadowDb { get; init; }

    /// <summary>Gets the most reads per second one reader delivers, shared by all chips in its field (protocol and serial-line limit).</summary>
    public double ReaderReadsPerSecond { get; init; } = 500;

    /// <summary>Gets the most reads per second of a single chip (the inventory round's minimum length).</summary>
    public double ChipReadsPerSecond { get; init; } = 200;

    /// <summary>Gets how long a reader stays on one antenna port before switching to the next, µs.</summary>
    public long AntennaDwellMicros { get; init; } = 25_000;

    /// <summary>Gets how long the reader stays on one channel before hopping, µs.</summary>
    public long HopDwellMicros { get; init; } = 200_000;

    /// <summary>Gets the channels the reader hops over, kHz (default: the four ETSI EN 302 208 high-power channels).</summary>
    public IReadOnlyList<int> ChannelsKhz { get; init; } = [865_700, 866_300, 866_900, 867_500];

    /// <summary>Gets the slowest runner the model expects, m/s: it bounds how far ahead runners are generated.</summary>
    public double MinSpeedMps { get; init; } = 1.0;

    /// <summary>Gets the lowest chip height above the mat, m (the read range is computed for it).</summary>
    public double MinChipHeightM { get; init; } = 0.9;

    /// <summary>
    /// Gets a value indicating whether the model keeps every chip's true crossing for <see cref="CrossingModel.TakeTrueCrossings"/>.
    /// Default true; a long run whose caller has its own truth turns it off so memory stays flat.
    /// </summary>
    public bool KeepTrueCrossings { get; init; } = true;

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
    public void Validate()
    {
        SettingsCheck.Require(MatWidthM is > 0.2 and <= 50, "MatWidthM must be 0.2-50 m.");
        SettingsCheck.Require(Readers is >= 1 and <= 16, "Readers must be 1-16.");
        SettingsCheck.Require(AntennasPerReader is >= 1 and <= 16, "AntennasPerReader must be 1-16.");
        SettingsCheck.Require(PathLossExponent is >= 2 and <= 8, "PathLossExponent must be 2-8.");
        SettingsCheck.Require(BeamExponent is >= 0 and <= 20, "BeamExponent must be 0-20.");
        SettingsCheck.Require(SensitivityDbm < RssiAt1mDbm, "SensitivityDbm must be below RssiAt1mDbm.");
        SettingsCheck.Require(NoiseDb is >= 0 and <= 20, "NoiseDb must be 0-20 dB.");
        SettingsCheck.Require(FadeFraction is >= 0 and <= 1, "FadeFraction must be 0-1.");
        SettingsCheck.Require(FadeMaxDb is >= 0 and <= 60, "FadeMaxDb must be 0-60 dB.");
        SettingsCheck.Require(OrientationLossMaxDb is >= 0 and <= 40, "OrientationLossMaxDb must be 0-40 dB.");
        SettingsCheck.Require(TagTiltMaxDeg is null or (>= 0 and <= 90), "TagTiltMaxDeg must be 0-90 degrees.");
        SettingsCheck.Require(BlockedFraction is >= 0 and <= 1, "BlockedFraction must be 0-1.");
        SettingsCheck.Require(BlockedLossDb is >= 0 and <= 60, "BlockedLossDb must be 0-60 dB.");
        SettingsCheck.Require(BodyShadowDb is >= 0 and <= 40, "BodyShadowDb must be 0-40 dB.");
        SettingsCheck.Require(ReaderReadsPerSecond is >= 1 and <= 100_000, "ReaderReadsPerSecond must be 1-100000.");
        SettingsCheck.Require(ChipReadsPerSecond >= 1 && ChipReadsPerSecond <= ReaderReadsPerSecond, "ChipReadsPerSecond must be 1 to ReaderReadsPerSecond.");
        SettingsCheck.Require(AntennaDwellMicros is >= 1_000 and <= 10_000_000, "AntennaDwellMicros must be 1 ms to 10 s.");
        SettingsCheck.Require(HopDwellMicros is >= 1_000 and <= 10_000_000, "HopDwellMicros must be 1 ms to 10 s.");
        SettingsCheck.Require(ChannelsKhz.Count > 0, "ChannelsKhz must name at least one channel.");
        SettingsCheck.Require(MinSpeedMps is >= 0.2 and <= 20, "MinSpeedMps must be 0.2-20 m/s.");
        SettingsCheck.Require(MinChipHeightM is >= 0.02 and <= 3, "MinChipHeightM must be 0.02-3 m.");
    }
}
