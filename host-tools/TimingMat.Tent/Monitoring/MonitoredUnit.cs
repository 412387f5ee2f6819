using TimingMat.Tent.Status;

namespace TimingMat.Tent.Monitoring;

/// <summary>What the monitor keeps of one unit: its latest status, its alarms and the latest crossings of its mat.</summary>
internal sealed class MonitoredUnit(int unit)
{
    private readonly AlarmState[] _alarms = [.. Enum.GetValues<AlarmKind>().Select(k => new AlarmState(k))];

    public int Unit { get; } = unit;

    public SeenStatus? Last { get; set; }

    /// <summary>Gets or sets when a reader module was first seen out of <c>reading</c> in the current run of such statuses, or null.</summary>
    public DateTime? ReaderOutSince { get; set; }

    /// <summary>Gets the (journal, sequence) of every crossing counted, so a batch sent again is not counted twice.</summary>
    public HashSet<(int Journal, long Sequence)> Counted { get; } = [];

    /// <summary>Gets the latest crossings, oldest first.</summary>
    public LinkedList<CheckpointPassing> Latest { get; } = new();

    public IEnumerable<AlarmState> Alarms => _alarms;

    public AlarmState Alarm(AlarmKind kind) => _alarms[(int)kind];
}
