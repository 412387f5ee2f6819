using TimingMat.Core.Hardware;

namespace TimingMat.Emulators.Radio;

/// <summary>
/// An SX1276/77/78/79 LoRa radio at the SPI register level: 128 registers with their power-on values, the 256-byte
/// FIFO behind RegFifo, address auto-increment on bursts. The first byte of a transfer is the register address with
/// bit 7 set for a write (SX127x datasheet, SPI interface).
/// </summary>
public sealed class Sx127xRegisterEmulator : ISpiDevice
{
    /// <summary>RegFifo: reads and writes go to the FIFO at RegFifoAddrPtr.</summary>
    public const byte RegFifo = 0x00;

    /// <summary>RegOpMode.</summary>
    public const byte RegOpMode = 0x01;

    /// <summary>RegFifoAddrPtr.</summary>
    public const byte RegFifoAddrPtr = 0x0D;

    /// <summary>RegVersion (read-only).</summary>
    public const byte RegVersion = 0x42;

    private const byte WriteFlag = 0x80;

    private readonly byte[] _registers = new byte[128];
    private readonly byte[] _fifo = new byte[256];

    /// <summary>Initializes a new instance of the <see cref="Sx127xRegisterEmulator"/> class in its power-on state.</summary>
    /// <param name="version">Value of RegVersion; 0x12 for a genuine SX127x. Another value emulates a wrong or dead part.</param>
    public Sx127xRegisterEmulator(byte version = 0x12)
    {
        _registers[RegOpMode] = 0x09;
        _registers[RegVersion] = version;
    }

    /// <summary>Gets the number of SPI transfers the radio has seen.</summary>
    public int Transfers { get; private set; }

    /// <summary>Reads a register directly (the backend face, for tests).</summary>
    /// <param name="address">Register address 0x00–0x7F.</param>
    /// <returns>The register value.</returns>
    public byte Peek(byte address) => _registers[address & 0x7F];

    /// <inheritdoc />
    public void TransferFullDuplex(byte[] write, byte[] read)
    {
        if (write.Length != read.Length)
        {
            throw new ArgumentException("write and read buffers must have the same length");
        }

        Transfers++;
        if (write.Length == 0)
        {
            return;
        }

        read[0] = 0;
        var isWrite = (write[0] & WriteFlag) != 0;
        var address = write[0] & 0x7F;
        for (var i = 1; i < write.Length; i++)
        {
            if (isWrite)
            {
                WriteRegister(address, write[i]);
                read[i] = 0;
            }
            else
            {
                read[i] = ReadRegister(address);
            }

            // Bursts auto-increment the address, except on RegFifo where the FIFO pointer moves instead.
            if (address != RegFifo)
            {
                address = (address + 1) & 0x7F;
            }
        }
    }

    /// <inheritdoc />
    public void Write(byte[] buffer) => TransferFullDuplex(buffer, new byte[buffer.Length]);

    private byte ReadRegister(int address)
    {
        if (address == RegFifo)
        {
            return _fifo[_registers[RegFifoAddrPtr]++];
        }

        return _registers[address];
    }

    private void WriteRegister(int address, byte value)
    {
        switch (address)
        {
            case RegFifo:
                _fifo[_registers[RegFifoAddrPtr]++] = value;
                break;
            case RegVersion:
                break; // read-only
            default:
                _registers[address] = value;
                break;
        }
    }
}
