using System.Text;
using TimingMat.Core.Hardware;

namespace TimingMat.Core.Tests.Unit;

/// <summary>The console's port in a test: lines typed into it, everything the unit wrote kept as text.</summary>
internal sealed class ConsoleLoopPort : IBytePort
{
    private readonly Queue<byte> _in = new();
    private readonly StringBuilder _out = new();

    public bool IsOpen { get; private set; }

    public int BaudRate { get; set; } = 115200;

    /// <summary>Gets everything the unit has written since the port was made.</summary>
    public string Written => _out.ToString();

    public void Open() => IsOpen = true;

    public void Close() => IsOpen = false;

    public void Type(string line)
    {
        foreach (var b in Encoding.ASCII.GetBytes(line + "\r\n"))
        {
            _in.Enqueue(b);
        }
    }

    public int Read(byte[] buffer, int offset, int count)
    {
        var n = 0;
        while (n < count && _in.Count > 0)
        {
            buffer[offset + n++] = _in.Dequeue();
        }

        return n;
    }

    public void Write(byte[] buffer, int offset, int count) => _out.Append(Encoding.ASCII.GetString(buffer, offset, count));

    public void DiscardInput() => _in.Clear();

    /// <summary>Takes the lines written since the last call.</summary>
    public List<string> Take()
    {
        var text = _out.ToString(_taken, _out.Length - _taken);
        _taken = _out.Length;
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    private int _taken;
}
