using System;
using System.Device.Spi;
using nanoFramework.Hardware.Esp32;
using TimingMat.Core.Board;
using TimingMat.Core.Hardware;

namespace TimingMat.Device.Adapters
{
    /// <summary>The core's SPI device over nanoFramework's <c>SpiDevice</c>, wired and clocked as the board profile says.</summary>
    /// <remarks>
    /// The clock is the board file's <c>lora.clock_hz</c> (8 MHz by default): the SX1276 accepts up to 10 MHz, a radio
    /// on the same PCB (T-Beam) can run at that, flying leads on a breadboard may need less.
    /// </remarks>
    public sealed class SpiBusDevice : ISpiDevice, IDisposable
    {
        private readonly SpiDevice _device;

        /// <summary>Initializes a new instance of the <see cref="SpiBusDevice"/> class and routes the bus to the board's pins.</summary>
        /// <param name="pins">Bus id and pins from the board profile.</param>
        public SpiBusDevice(SpiPins pins)
        {
            if (pins.Bus == 1)
            {
                Configuration.SetPinFunction(pins.Mosi, DeviceFunction.SPI1_MOSI);
                Configuration.SetPinFunction(pins.Miso, DeviceFunction.SPI1_MISO);
                Configuration.SetPinFunction(pins.Clock, DeviceFunction.SPI1_CLOCK);
            }
            else
            {
                Configuration.SetPinFunction(pins.Mosi, DeviceFunction.SPI2_MOSI);
                Configuration.SetPinFunction(pins.Miso, DeviceFunction.SPI2_MISO);
                Configuration.SetPinFunction(pins.Clock, DeviceFunction.SPI2_CLOCK);
            }

            SpiConnectionSettings settings = new SpiConnectionSettings(pins.Bus, pins.ChipSelect);
            settings.Mode = SpiMode.Mode0;
            settings.ClockFrequency = pins.ClockHz;
            settings.DataFlow = DataFlow.MsbFirst;
            settings.Configuration = SpiBusConfiguration.FullDuplex;
            _device = SpiDevice.Create(settings);
        }

        /// <inheritdoc />
        public void TransferFullDuplex(byte[] write, byte[] read)
        {
            if (write.Length != read.Length)
            {
                throw new ArgumentException("write and read buffers must have the same length");
            }

            _device.TransferFullDuplex(new SpanByte(write), new SpanByte(read));
        }

        /// <inheritdoc />
        public void Write(byte[] buffer)
        {
            _device.Write(new SpanByte(buffer));
        }

        /// <summary>Releases the SPI device.</summary>
        public void Dispose()
        {
            _device.Dispose();
        }
    }
}
