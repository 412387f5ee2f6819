namespace TimingMat.Host.Unit;

/// <summary>One reader module of a <see cref="DesktopMatUnit"/> after a poll: a technician sees which of several modules is not reading.</summary>
/// <param name="Reader">The reader index, from 0 (the order of the <c>--reader</c> ports).</param>
/// <param name="State">The driver's state, e.g. <c>reading</c>.</param>
/// <param name="Reads">Tag reads from the module since start.</param>
/// <param name="Restarts">Times the driver restarted the module.</param>
/// <param name="LastRestartReason">Why it last restarted, e.g. <c>silence</c>, or <c>none</c>.</param>
public sealed record ReaderModuleSnapshot(int Reader, string State, long Reads, long Restarts, string LastRestartReason);
