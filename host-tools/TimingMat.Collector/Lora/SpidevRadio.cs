using System.Device.Spi;
using TimingMat.Core.Hardware;
using TimingMat.Core.Lora;

namespace TimingMat.Collector.Lora;

/// <summary>
/// An SX127x on a Linux SPI device (<c>/dev/spidevB.C</c>, e.g. a Raspberry Pi with an SX1276 hat) through
/// System.Device.Gpio: the desktop receiver's radio for <c>timingmat collect --lora spidev0.0</c>. A thin adapter —
/// everything the radio does is the firmware's own driver, tested against the register-level emulator; this class only
/// moves the bytes (mode 0, 1 MHz, chip select held for each call).
/// </summary>
public sealed class SpidevRadio : ISpiDevice, IDisposable
{
    private readonly SpiDevice _device;

    private SpidevRadio(SpiDevice device)
    {
        _device = device;
    }

    /// <summary>Opens an SPI device by its name.</summary>
    /// <param name="name"><c>spidevB.C</c> (bus B, chip select C), or the path <c>/dev/spidevB.C</c>.</param>
    /// <returns>The open device.</returns>
    /// <exception cref="ArgumentException">The name is not of that form.</exception>
    /// <exception cref="IOException">The device cannot be opened (missing, no permission, SPI not enabled).</exception>
    public static SpidevRadio Open(string name)
    {
        if (!TryParse(name, out var bus, out var chipSelect))
        {
            throw new ArgumentException($"'{name}' is not an SPI device: expected spidevB.C (e.g. spidev0.0) or /dev/spidevB.C.", nameof(name));
        }

        SpiDevice? device = null;
        try
        {
            device = SpiDevice.Create(new SpiConnectionSettings(bus, chipSelect) { ClockFrequency = 1_000_000, Mode = SpiMode.Mode0 });

            // System.Device.Gpio opens the file at the first transfer: read the version register now, so a missing
            // device or a missing permission is an error at start and not a dead receiver thread later.
            device.TransferFullDuplex(new byte[] { Sx127x.RegVersion, 0 }, new byte[2]);
            return new SpidevRadio(device);
        }
        catch (IOException)
        {
            device?.Dispose();
            throw;
        }
        catch (Exception e)
        {
            device?.Dispose();
            throw new IOException($"/dev/spidev{bus}.{chipSelect} cannot be opened: {e.Message}", e);
        }
    }

    /// <summary>Reads <c>spidevB.C</c> or <c>/dev/spidevB.C</c>.</summary>
    /// <param name="name">The name.</param>
    /// <param name="bus">Bus number.</param>
    /// <param name="chipSelect">Chip-select line.</param>
    /// <returns><c>true</c> when the name has that form.</returns>
    public static bool TryParse(string name, out int bus, out int chipSelect)
    {
        bus = chipSelect = -1;
        var text = name.StartsWith("/dev/", StringComparison.Ordinal) ? name[5..] : name;
        if (!text.StartsWith("spidev", StringComparison.Ordinal))
        {
            return false;
        }

        var parts = text[6..].Split('.');
        return parts.Length == 2 && int.TryParse(parts[0], System.Globalization.NumberStyles.None, null, out bus) && int.TryParse(parts[1], System.Globalization.NumberStyles.None, null, out chipSelect);
    }

    /// <inheritdoc />
    public void TransferFullDuplex(byte[] write, byte[] read)
    {
        if (write.Length != read.Length)
        {
            throw new ArgumentException("write and read buffers must have the same length");
        }

        _device.TransferFullDuplex(write, read);
    }

    /// <inheritdoc />
    public void Write(byte[] buffer) => _device.Write(buffer);

    /// <inheritdoc />
    public void Dispose() => _device.Dispose();
}
