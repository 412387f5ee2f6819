using TimingMat.Core.Hardware;
using Xunit;

namespace TimingMat.Contracts;

/// <summary>
/// What the core's reader and GPS drivers may assume of any <see cref="IBytePort"/>, run against every desktop
/// implementation with a far end the test controls (the device's UART and TCP console adapters run on the board only).
/// </summary>
/// <remarks>
/// The core polls: nothing here blocks on the port. Line time passes through <see cref="LetTimePass"/>, a simulated
/// clock step where the implementation has one and a short sleep where a real socket or tty is the point.
/// </remarks>
public abstract class BytePortContractTests
{
    /// <summary>Gets the port under test; closed until a test opens it.</summary>
    protected abstract IBytePort Port { get; }

    /// <summary>Gets how many bytes one write may carry; ports with a bounded transmit queue say why they take fewer.</summary>
    protected virtual int LargeWriteBytes => 16 * 1024;

    /// <summary>Gets the exception a write to a closed port throws; the interface documents <see cref="InvalidOperationException"/>.</summary>
    protected virtual Type ClosedWriteException => typeof(InvalidOperationException);

    /// <summary>Gets how many <see cref="LetTimePass"/> steps a test waits for bytes before it fails.</summary>
    protected virtual int PatienceSteps => 5_000;

    /// <summary>Gets how many steps let bytes already sent reach the other end's receive buffer.</summary>
    protected virtual int SettleSteps => 50;

    [Fact]
    public void OpenAndClose_SetIsOpen_AndRepeatingEitherDoesNothing()
    {
        Assert.False(Port.IsOpen);

        Port.Open();
        Port.Open();
        AwaitPeer();
        Assert.True(Port.IsOpen);

        Port.Close();
        Port.Close();
        Assert.False(Port.IsOpen);
    }

    [Fact]
    public void Read_ReturnsZero_WhenNothingArrived()
    {
        OpenWithPeer();
        var buffer = new byte[64];

        Assert.Equal(0, Port.Read(buffer, 0, buffer.Length));
        LetTimePass();
        Assert.Equal(0, Port.Read(buffer, 10, 20));
        Assert.All(buffer, b => Assert.Equal(0, b));
    }

    [Fact]
    public void BytesFromTheFarEnd_ComeOutInOrder_InWhateverSlicesTheCallerAsks()
    {
        OpenWithPeer();
        var sent = Pattern(300, 11);

        PeerSends(sent);
        var got = new byte[sent.Length + 4];
        var n = 0;
        for (var step = 0; n < sent.Length && step < PatienceSteps; step++)
        {
            // Odd slices at an offset, as a deframer with a partly filled buffer asks, until the poll finds nothing.
            int slice;
            while ((slice = Port.Read(got, 2 + n, Math.Min(7, sent.Length - n))) > 0)
            {
                n += slice;
            }

            LetTimePass();
        }

        Assert.Equal(sent.Length, n);
        Assert.Equal(sent, got[2..(2 + sent.Length)]);
        Assert.Equal(0, Port.Read(got, 0, got.Length));
    }

    [Fact]
    public void WriteThenRead_AcrossTheLoopback_EachWayInOrder()
    {
        OpenWithPeer();
        var command = new byte[] { 0x00, 0xFF, 0x00, 0x03, 0x1D, 0x0C, 0x77 };

        Port.Write(command, 1, 5);
        var atPeer = PeerCollects(5);
        Array.Reverse(atPeer);
        PeerSends(atPeer);
        var answer = ReadExactly(5);

        Assert.Equal(new byte[] { 0x0C, 0x1D, 0x03, 0x00, 0xFF }, answer);
    }

    [Fact]
    public void DiscardInput_DropsWhatArrived_AndKeepsWhatComesAfter()
    {
        OpenWithPeer();
        PeerSends([0xAA, 0xBB, 0xCC, 0xDD]);
        AwaitReceived(4);

        Port.DiscardInput();
        Assert.Equal(0, Port.Read(new byte[16], 0, 16));
        PeerSends([0x01, 0x02]);

        Assert.Equal(new byte[] { 0x01, 0x02 }, ReadExactly(2));
    }

    [Fact]
    public void Read_AfterClose_ReturnsZero_EvenWithBytesWaiting()
    {
        OpenWithPeer();
        PeerSends([1, 2, 3]);
        Settle();

        Port.Close();

        Assert.Equal(0, Port.Read(new byte[16], 0, 16));
    }

    [Fact]
    public void Write_OnAClosedPort_Throws_RatherThanLosingTheCommand()
    {
        Assert.IsType(ClosedWriteException, Record.Exception(() => Port.Write([1, 2], 0, 2)), exactMatch: false);

        OpenWithPeer();
        Port.Close();

        Assert.IsType(ClosedWriteException, Record.Exception(() => Port.Write([1, 2], 0, 2)), exactMatch: false);
    }

    [Fact]
    public void ALargeWrite_ReachesTheFarEnd_WholeAndInOrder()
    {
        OpenWithPeer();
        var block = Pattern(LargeWriteBytes, 31);

        Port.Write(block, 0, block.Length);

        Assert.Equal(block, PeerCollects(block.Length));
    }

    [Fact]
    public void BaudRate_KeepsTheValueSet()
    {
        Port.BaudRate = 921_600;
        Assert.Equal(921_600, Port.BaudRate);

        Port.BaudRate = 9_600;

        Assert.Equal(9_600, Port.BaudRate);
    }

    /// <summary>Makes the far end send bytes toward the port.</summary>
    /// <param name="bytes">The bytes, in order.</param>
    protected abstract void PeerSends(byte[] bytes);

    /// <summary>Copies what has reached the far end so far; never blocks.</summary>
    /// <param name="buffer">Destination.</param>
    /// <param name="offset">First index written.</param>
    /// <param name="count">Largest number of bytes.</param>
    /// <returns>Bytes copied.</returns>
    protected abstract int PeerReceives(byte[] buffer, int offset, int count);

    /// <summary>Lets a little line time pass: a simulated clock step or a short sleep.</summary>
    protected abstract void LetTimePass();

    /// <summary>
    /// Waits until the port holds <paramref name="count"/> bytes the far end sent. By default the settle steps; a port
    /// whose own thread receives says when it has them, so a busy host cannot make "what arrived" still be in the socket.
    /// </summary>
    /// <param name="count">Bytes sent.</param>
    protected virtual void AwaitReceived(int count) => Settle();

    /// <summary>Waits until the far end is attached to the open port (a TCP accept); most ports need nothing.</summary>
    protected virtual void AwaitPeer()
    {
    }

    private static byte[] Pattern(int length, int step) =>
        Enumerable.Range(0, length).Select(i => (byte)((i * step) + (i >> 8))).ToArray();

    private void OpenWithPeer()
    {
        Port.Open();
        AwaitPeer();
    }

    /// <summary>Lets time pass until <paramref name="waiting"/> counts <paramref name="count"/> bytes, or fails.</summary>
    /// <param name="count">Bytes sent.</param>
    /// <param name="waiting">The port's own count of received bytes waiting to be read.</param>
    protected void AwaitWaiting(int count, Func<int> waiting)
    {
        for (var step = 0; waiting() < count; step++)
        {
            Assert.True(step < PatienceSteps, $"the port received {waiting()} of the {count} bytes sent");
            LetTimePass();
        }
    }

    private void Settle()
    {
        for (var i = 0; i < SettleSteps; i++)
        {
            LetTimePass();
        }
    }

    private byte[] ReadExactly(int count)
    {
        var got = new byte[count];
        var n = 0;
        for (var step = 0; n < count && step < PatienceSteps; step++)
        {
            n += Port.Read(got, n, count - n);
            if (n < count)
            {
                LetTimePass();
            }
        }

        Assert.Equal(count, n);
        return got;
    }

    private byte[] PeerCollects(int count)
    {
        var got = new byte[count];
        var n = 0;
        var scratch = new byte[64];
        for (var step = 0; n < count && step < PatienceSteps; step++)
        {
            n += PeerReceives(got, n, count - n);
            if (n < count)
            {
                // A port with a transmit queue moves it on when polled, as the core's loop does.
                Port.Read(scratch, 0, scratch.Length);
                LetTimePass();
            }
        }

        Assert.Equal(count, n);
        return got;
    }
}
