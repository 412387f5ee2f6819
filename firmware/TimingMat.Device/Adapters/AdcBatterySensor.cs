using System;
using System.Device.Adc;
using TimingMat.Core.Board;
using TimingMat.Core.Hardware;

namespace TimingMat.Device.Adapters
{
    /// <summary>The battery voltage on an ESP32 ADC1 channel behind a resistor divider (board.cfg <c>battery.*</c>).</summary>
    /// <remarks>
    /// nanoFramework opens ESP32 ADC channels at 12 dB attenuation and returns raw counts without the chip's
    /// calibration: full scale is about 3.1 V, and an uncalibrated ESP32 reads within about ±6 %, enough to see a
    /// battery sag from 4.1 V to 3.5 V over a race. Eight samples are averaged against the ADC's noise. The divider must
    /// keep a full cell below ~2.45 V at the pin (100 k over 100 k: 2.1 V at 4.2 V). ADC1 only: ADC2 is unusable while
    /// Wi-Fi runs. The ESP32's own temperature sensor is not exposed by nanoFramework, so there is no temperature.
    /// </remarks>
    public sealed class AdcBatterySensor : IBatterySensor, IDisposable
    {
        private const int FullScaleMillivolts = 3100;
        private const int Samples = 8;

        private readonly AdcController _controller;
        private readonly AdcChannel _channel;
        private readonly long _numerator;
        private readonly long _denominator;

        /// <summary>Initializes a new instance of the <see cref="AdcBatterySensor"/> class.</summary>
        /// <param name="board">The board profile; <see cref="BoardProfile.BatteryAdcChannel"/> must be set.</param>
        public AdcBatterySensor(BoardProfile board)
        {
            _controller = new AdcController();
            _channel = _controller.OpenChannel(board.BatteryAdcChannel);

            // mV = raw × full scale / max × (top + bottom) / bottom, in integers.
            _numerator = (long)FullScaleMillivolts * (board.BatteryDividerTopOhms + board.BatteryDividerBottomOhms);
            _denominator = (long)_controller.MaxValue * board.BatteryDividerBottomOhms;
        }

        /// <inheritdoc />
        public int ReadBatteryMillivolts()
        {
            long sum = 0;
            for (int i = 0; i < Samples; i++)
            {
                sum += _channel.ReadValue();
            }

            return _denominator <= 0 ? -1 : (int)(sum * _numerator / (_denominator * Samples));
        }

        /// <inheritdoc />
        public bool TryReadTemperature(out int deciCelsius)
        {
            deciCelsius = 0;
            return false;
        }

        /// <summary>Releases the ADC channel.</summary>
        public void Dispose()
        {
            _channel.Dispose();
        }
    }
}
