using TimingMat.Core.Hardware;
using TimingMat.Emulators.Gps;

namespace TimingMat.Tent.Emulation;

/// <summary>
/// A unit's PPS input with a clock-offset fault: while the fault is on, every edge is stamped late by its amount, as
/// a wrong receiver or a long antenna cable makes it. The unit's clock locks to the late edges and runs late by that
/// much with no error it could see itself.
/// </summary>
internal sealed class DelayedPpsSource(IPpsSource inner, GpsRig rig, IReadOnlyList<EmulatedFault> offsets, long startUtc) : IPpsSource
{
    private readonly Queue<long> _held = new();

    public int DroppedEdges => inner.DroppedEdges;

    public bool TryTakeEdge(out long localMicros)
    {
        while (inner.TryTakeEdge(out var edge))
        {
            var since = rig.Timebase.ToTrueUtc(edge) - startUtc;
            _held.Enqueue(edge + offsets.Where(f => f.Covers(since)).Sum(f => f.AmountMicros));
        }

        // A late edge is taken only once its late stamp has come, as a late wire would deliver it.
        if (_held.Count > 0 && _held.Peek() <= rig.Clock.Now)
        {
            localMicros = _held.Dequeue();
            return true;
        }

        localMicros = 0;
        return false;
    }
}
