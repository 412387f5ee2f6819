using TimingMat.Core.Reader;

namespace TimingMat.Core.Tests.Reader;

/// <summary>Keeps a copy of every frame a deframer delivers, with its stream offset.</summary>
internal sealed class FrameCollector : IFrameSink
{
    private readonly FrameDeframer _deframer;

    public FrameCollector(FrameDeframer deframer)
    {
        _deframer = deframer;
        deframer.Sink = this;
    }

    public List<byte[]> Frames { get; } = [];

    public List<long> Offsets { get; } = [];

    public Action? AfterFrame { get; set; }

    public void OnFrame(byte[] buffer, int offset, int length)
    {
        Frames.Add(buffer.AsSpan(offset, length).ToArray());
        Offsets.Add(_deframer.FrameOffset);
        AfterFrame?.Invoke();
    }

    public List<string> Hexes() => Frames.Select(Hex.Of).ToList();
}
