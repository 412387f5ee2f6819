using TimingMat.Core.Hardware;

namespace TimingMat.Core.Tests.Reader;

/// <summary>A port that passes everything to another one, and throws on reads or writes while told to (a UART fault).</summary>
internal sealed class FlakyPort(IBytePort inner) : IBytePort
{
    /// <summary>Gets or sets a value indicating whether <see cref="Read"/> throws.</summary>
    public bool FailReads { get; set; }

    /// <summary>Gets or sets a value indicating whether <see cref="Write"/> throws.</summary>
    public bool FailWrites { get; set; }

    public bool IsOpen => inner.IsOpen;

    public int BaudRate
    {
        get => inner.BaudRate;
        set => inner.BaudRate = value;
    }

    public void Open() => inner.Open();

    public void Close() => inner.Close();

    public int Read(byte[] buffer, int offset, int count) =>
        FailReads ? throw new IOException("UART read failed (test)") : inner.Read(buffer, offset, count);

    public void Write(byte[] buffer, int offset, int count)
    {
        if (FailWrites)
        {
            throw new IOException("UART write failed (test)");
        }

        inner.Write(buffer, offset, count);
    }

    public void DiscardInput() => inner.DiscardInput();
}
