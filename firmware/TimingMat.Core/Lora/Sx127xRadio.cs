using TimingMat.Core.Hardware;

namespace TimingMat.Core.Lora
{
    /// <summary>
    /// Driver for an SX1276/77/78/79 in LoRa mode over SPI: sets the modem up, sends one packet at a time, and
    /// receives continuously. Polled (RegIrqFlags over SPI rather than DIO0), so it needs no interrupt line.
    /// </summary>
    /// <remarks>
    /// <para>Recovery: a wrong RegVersion or a register that does not read back what was written marks the radio
    /// faulted; a transmission without TxDone well past its time on air sets the radio up again. The caller tries
    /// <see cref="Begin"/> again later; nothing else is lost, the journal still holds every passing.</para>
    /// <para>Allocation: register access uses two preallocated 2-byte buffers. FIFO bursts reuse a buffer of the last
    /// length used, so steady traffic of full packets allocates nothing.</para>
    /// </remarks>
    public sealed class Sx127xRadio
    {
        private const long TxTimeoutMarginMicros = 100000;

        private readonly ISpiDevice _spi;
        private readonly IMicrosecondClock _clock;
        private readonly byte[] _write = new byte[2];
        private readonly byte[] _read = new byte[2];
        private LoRaSettings _settings;
        private byte[] _burstWrite;
        private byte[] _burstRead;
        private bool _transmitting;
        private long _txStarted;
        private long _txAirtime;

        /// <summary>Initializes a new instance of the <see cref="Sx127xRadio"/> class; call <see cref="Begin"/> next.</summary>
        /// <param name="spi">The radio's SPI device.</param>
        /// <param name="clock">The unit's microsecond clock.</param>
        public Sx127xRadio(ISpiDevice spi, IMicrosecondClock clock)
        {
            _spi = spi;
            _clock = clock;
        }

        /// <summary>Gets a value indicating whether the radio is set up and answering.</summary>
        public bool IsReady { get; private set; }

        /// <summary>Gets why the radio is not ready, or <c>null</c>.</summary>
        public string Fault { get; private set; }

        /// <summary>Gets the last fault seen, kept after a recovery (for status and logs), or <c>null</c>.</summary>
        public string LastFault { get; private set; }

        /// <summary>Gets the local time the last transmission started, µs.</summary>
        public long LastTransmitStartedMicros
        {
            get { return _txStarted; }
        }

        /// <summary>Gets the number of packets dropped because they came without a payload CRC (another network's, or corrupt headers).</summary>
        public int PacketsWithoutCrc { get; private set; }

        /// <summary>Gets the number of times the radio had to be set up again.</summary>
        public int Recoveries { get; private set; }

        /// <summary>Gets the number of packets received with a wrong CRC.</summary>
        public int CrcErrors { get; private set; }

        /// <summary>Gets the RSSI of the last packet received, dBm.</summary>
        public int LastRssiDbm { get; private set; }

        /// <summary>Gets the SNR of the last packet received, in quarter dB.</summary>
        public int LastSnrQuarterDb { get; private set; }

        /// <summary>Gets the time on air of the last packet started, µs.</summary>
        public long LastAirtimeMicros
        {
            get { return _txAirtime; }
        }

        /// <summary>Gets a value indicating whether a transmission is under way.</summary>
        public bool IsTransmitting
        {
            get { return _transmitting; }
        }

        /// <summary>Checks the chip and programs the modem; leaves it in standby.</summary>
        /// <param name="settings">Validated settings (<see cref="LoRaSettings.Validate"/>).</param>
        /// <returns><c>true</c> when the radio is ready.</returns>
        public bool Begin(LoRaSettings settings)
        {
            _settings = settings;
            _transmitting = false;
            IsReady = false;
            int version = ReadRegister(Sx127x.RegVersion);
            if (version != Sx127x.Version)
            {
                Fault = "RegVersion reads 0x" + version.ToString("X2") + ", an SX127x reads 0x12: no radio, wrong part or bad wiring";
                LastFault = Fault;
                return false;
            }

            // LongRangeMode only changes in sleep: this write sleeps and selects LoRa at once.
            WriteRegister(Sx127x.RegOpMode, Sx127x.LongRangeMode | Sx127x.ModeSleep);
            int frf = Sx127x.FrfOf(settings.FrequencyHz);
            WriteRegister(Sx127x.RegFrfMsb, (frf >> 16) & 0xFF);
            WriteRegister(Sx127x.RegFrfMid, (frf >> 8) & 0xFF);
            WriteRegister(Sx127x.RegFrfLsb, frf & 0xFF);
            WriteRegister(Sx127x.RegPaConfig, Sx127x.PaBoost | 0x70 | (settings.TxPowerDbm - 2));
            WriteRegister(Sx127x.RegLna, Sx127x.LnaMaxGainBoostHf);
            WriteRegister(Sx127x.RegFifoTxBaseAddr, 0);
            WriteRegister(Sx127x.RegFifoRxBaseAddr, 0);
            int config1 = (Sx127x.BandwidthCode(settings.BandwidthHz) << 4) | (settings.CodingRate << 1);
            int config2 = (settings.SpreadingFactor << 4) | (settings.Crc ? Sx127x.RxPayloadCrcOn : 0);
            int config3 = Sx127x.AgcAutoOn | (LoRaAirtime.NeedsLowDataRateOptimize(settings.SpreadingFactor, settings.BandwidthHz) ? Sx127x.LowDataRateOptimize : 0);
            WriteRegister(Sx127x.RegModemConfig1, config1);
            WriteRegister(Sx127x.RegModemConfig2, config2);
            WriteRegister(Sx127x.RegModemConfig3, config3);
            WriteRegister(Sx127x.RegPreambleMsb, (settings.PreambleSymbols >> 8) & 0xFF);
            WriteRegister(Sx127x.RegPreambleLsb, settings.PreambleSymbols & 0xFF);
            WriteRegister(Sx127x.RegSyncWord, settings.SyncWord);
            WriteRegister(Sx127x.RegIrqFlags, 0xFF);
            WriteRegister(Sx127x.RegOpMode, Sx127x.LongRangeMode | Sx127x.ModeStandby);

            // A radio that drops writes (bad MOSI or chip select) would otherwise look ready and never send.
            if (ReadRegister(Sx127x.RegModemConfig2) != config2 || ReadRegister(Sx127x.RegOpMode) != (Sx127x.LongRangeMode | Sx127x.ModeStandby))
            {
                Fault = "registers do not read back what was written: check MOSI, chip select and the radio's supply";
                LastFault = Fault;
                return false;
            }

            Fault = null;
            IsReady = true;
            return true;
        }

        /// <summary>Starts sending a packet; poll <see cref="PollTransmit"/> until it is done.</summary>
        /// <param name="packet">Buffer holding the packet.</param>
        /// <param name="length">Bytes to send, 1–255.</param>
        /// <returns><c>false</c> when the radio is not ready, busy, or the length is out of range.</returns>
        public bool StartTransmit(byte[] packet, int length)
        {
            if (!IsReady || _transmitting || length < 1 || length > 255)
            {
                return false;
            }

            WriteRegister(Sx127x.RegOpMode, Sx127x.LongRangeMode | Sx127x.ModeStandby);
            WriteRegister(Sx127x.RegFifoAddrPtr, 0);
            byte[] burst = Sized(ref _burstWrite, length + 1);
            burst[0] = Sx127x.WriteFlag | Sx127x.RegFifo;
            System.Array.Copy(packet, 0, burst, 1, length);
            _spi.Write(burst);
            WriteRegister(Sx127x.RegPayloadLength, length);
            WriteRegister(Sx127x.RegIrqFlags, 0xFF);
            WriteRegister(Sx127x.RegOpMode, Sx127x.LongRangeMode | Sx127x.ModeTransmit);
            _transmitting = true;
            _txStarted = _clock.GetMicroseconds();
            _txAirtime = LoRaAirtime.Micros(length, _settings);
            return true;
        }

        /// <summary>Checks whether the packet being sent has gone.</summary>
        /// <returns><see cref="RadioResult.Done"/> when sent, <see cref="RadioResult.Pending"/> while on air,
        /// <see cref="RadioResult.Fault"/> when TxDone never came (the radio is set up again).</returns>
        public RadioResult PollTransmit()
        {
            if (!_transmitting)
            {
                return RadioResult.Done;
            }

            if ((ReadRegister(Sx127x.RegIrqFlags) & Sx127x.IrqTxDone) != 0)
            {
                WriteRegister(Sx127x.RegIrqFlags, Sx127x.IrqTxDone);
                _transmitting = false;
                return RadioResult.Done;
            }

            if (_clock.GetMicroseconds() - _txStarted > (2 * _txAirtime) + TxTimeoutMarginMicros)
            {
                Recover();
                return RadioResult.Fault;
            }

            return RadioResult.Pending;
        }

        /// <summary>Listens continuously from now on.</summary>
        /// <returns><c>false</c> when the radio is not ready or still sending.</returns>
        public bool StartReceive()
        {
            if (!IsReady || _transmitting)
            {
                return false;
            }

            WriteRegister(Sx127x.RegOpMode, Sx127x.LongRangeMode | Sx127x.ModeStandby);
            WriteRegister(Sx127x.RegFifoAddrPtr, 0);
            WriteRegister(Sx127x.RegIrqFlags, 0xFF);
            WriteRegister(Sx127x.RegOpMode, Sx127x.LongRangeMode | Sx127x.ModeReceiveContinuous);
            return true;
        }

        /// <summary>Takes a received packet, if one is waiting.</summary>
        /// <param name="buffer">Destination with room for 255 bytes.</param>
        /// <param name="length">Bytes received.</param>
        /// <returns><see cref="RadioResult.Done"/> with a packet, <see cref="RadioResult.Pending"/> with none,
        /// <see cref="RadioResult.CrcError"/> when a damaged packet was dropped.</returns>
        public RadioResult TryReceive(byte[] buffer, out int length)
        {
            length = 0;
            if (!IsReady || _transmitting)
            {
                return RadioResult.Pending;
            }

            int flags = ReadRegister(Sx127x.RegIrqFlags);
            if ((flags & Sx127x.IrqRxDone) == 0)
            {
                return RadioResult.Pending;
            }

            if ((flags & Sx127x.IrqPayloadCrcError) != 0)
            {
                WriteRegister(Sx127x.RegIrqFlags, 0xFF);
                CrcErrors++;
                return RadioResult.CrcError;
            }

            if (_settings.Crc && (ReadRegister(Sx127x.RegHopChannel) & Sx127x.CrcOnPayload) == 0)
            {
                // Without a payload CRC nothing guards the bytes (another network on our sync word, or a bad header).
                WriteRegister(Sx127x.RegIrqFlags, 0xFF);
                PacketsWithoutCrc++;
                return RadioResult.CrcError;
            }

            int count = ReadRegister(Sx127x.RegRxNbBytes);
            WriteRegister(Sx127x.RegFifoAddrPtr, ReadRegister(Sx127x.RegFifoRxCurrentAddr));
            byte[] command = Sized(ref _burstWrite, count + 1);
            byte[] reply = Sized(ref _burstRead, count + 1);
            for (int i = 0; i < command.Length; i++)
            {
                command[i] = 0;
            }

            command[0] = Sx127x.RegFifo;
            _spi.TransferFullDuplex(command, reply);
            System.Array.Copy(reply, 1, buffer, 0, count);
            int snr = ReadRegister(Sx127x.RegPktSnrValue);
            LastSnrQuarterDb = snr > 127 ? snr - 256 : snr;
            LastRssiDbm = ReadRegister(Sx127x.RegPktRssiValue) - (_settings.FrequencyHz >= 779000000 ? Sx127x.RssiOffsetHf : Sx127x.RssiOffsetLf);
            WriteRegister(Sx127x.RegIrqFlags, 0xFF);
            length = count;
            return RadioResult.Done;
        }

        /// <summary>Stops sending or listening: standby.</summary>
        public void Standby()
        {
            _transmitting = false;
            if (IsReady)
            {
                WriteRegister(Sx127x.RegOpMode, Sx127x.LongRangeMode | Sx127x.ModeStandby);
            }
        }

        private void Recover()
        {
            LastFault = "TxDone never came within twice the time on air: the radio was set up again";
            Recoveries++;
            _transmitting = false;
            Begin(_settings);
        }

        private int ReadRegister(byte address)
        {
            _write[0] = address;
            _write[1] = 0;
            _spi.TransferFullDuplex(_write, _read);
            return _read[1];
        }

        private void WriteRegister(byte address, int value)
        {
            _write[0] = (byte)(Sx127x.WriteFlag | address);
            _write[1] = (byte)value;
            _spi.Write(_write);
        }

        // ISpiDevice takes whole arrays: keep one of the last length used, so full packets reuse it.
        private static byte[] Sized(ref byte[] buffer, int length)
        {
            if (buffer == null || buffer.Length != length)
            {
                buffer = new byte[length];
            }

            return buffer;
        }
    }
}
