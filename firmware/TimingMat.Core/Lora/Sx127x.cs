namespace TimingMat.Core.Lora
{
    /// <summary>
    /// SX1276/77/78/79 register addresses and bit values used in LoRa mode (Semtech SX1276 datasheet, register map);
    /// one place for the driver and the emulator, so both speak the same bytes.
    /// </summary>
    public static class Sx127x
    {
        /// <summary>An SPI write: bit 7 of the address byte set.</summary>
        public const byte WriteFlag = 0x80;

        /// <summary>RegFifo: reads and writes go to the FIFO at RegFifoAddrPtr.</summary>
        public const byte RegFifo = 0x00;

        /// <summary>RegOpMode: LongRangeMode (bit 7) and the mode (bits 2–0).</summary>
        public const byte RegOpMode = 0x01;

        /// <summary>RegFrfMsb; RegFrfMid and RegFrfLsb follow. Frf = f · 2^19 / 32 MHz.</summary>
        public const byte RegFrfMsb = 0x06;

        /// <summary>RegFrfMid.</summary>
        public const byte RegFrfMid = 0x07;

        /// <summary>RegFrfLsb.</summary>
        public const byte RegFrfLsb = 0x08;

        /// <summary>RegPaConfig: PaSelect (bit 7, PA_BOOST), MaxPower, OutputPower.</summary>
        public const byte RegPaConfig = 0x09;

        /// <summary>RegLna.</summary>
        public const byte RegLna = 0x0C;

        /// <summary>RegLna: LNA gain G1 (maximum) with the HF boost on (150 % LNA current), the usual setting for range.</summary>
        public const byte LnaMaxGainBoostHf = 0x23;

        /// <summary>RegFifoAddrPtr.</summary>
        public const byte RegFifoAddrPtr = 0x0D;

        /// <summary>RegFifoTxBaseAddr.</summary>
        public const byte RegFifoTxBaseAddr = 0x0E;

        /// <summary>RegFifoRxBaseAddr.</summary>
        public const byte RegFifoRxBaseAddr = 0x0F;

        /// <summary>RegFifoRxCurrentAddr: where the last packet received starts.</summary>
        public const byte RegFifoRxCurrentAddr = 0x10;

        /// <summary>RegIrqFlags: write 1s to clear.</summary>
        public const byte RegIrqFlags = 0x12;

        /// <summary>RegRxNbBytes: length of the last packet received.</summary>
        public const byte RegRxNbBytes = 0x13;

        /// <summary>RegHopChannel: CrcOnPayload (bit 6) tells whether the last packet received carried a CRC.</summary>
        public const byte RegHopChannel = 0x1C;

        /// <summary>RegHopChannel: the header said the payload has a CRC.</summary>
        public const byte CrcOnPayload = 0x40;

        /// <summary>RegPktSnrValue: SNR of the last packet, signed, in quarter dB.</summary>
        public const byte RegPktSnrValue = 0x19;

        /// <summary>RegPktRssiValue: RSSI of the last packet; dBm = −157 + value on the HF port.</summary>
        public const byte RegPktRssiValue = 0x1A;

        /// <summary>RegModemConfig1: bandwidth (7–4), coding rate (3–1), implicit header (0).</summary>
        public const byte RegModemConfig1 = 0x1D;

        /// <summary>RegModemConfig2: spreading factor (7–4), RxPayloadCrcOn (2).</summary>
        public const byte RegModemConfig2 = 0x1E;

        /// <summary>RegPreambleMsb; RegPreambleLsb follows.</summary>
        public const byte RegPreambleMsb = 0x20;

        /// <summary>RegPreambleLsb.</summary>
        public const byte RegPreambleLsb = 0x21;

        /// <summary>RegPayloadLength: bytes to send.</summary>
        public const byte RegPayloadLength = 0x22;

        /// <summary>RegModemConfig3: LowDataRateOptimize (3), AgcAutoOn (2).</summary>
        public const byte RegModemConfig3 = 0x26;

        /// <summary>RegSyncWord.</summary>
        public const byte RegSyncWord = 0x39;

        /// <summary>RegDioMapping1.</summary>
        public const byte RegDioMapping1 = 0x40;

        /// <summary>RegVersion (read-only).</summary>
        public const byte RegVersion = 0x42;

        /// <summary>The value RegVersion reads on a genuine SX1276/77/78/79.</summary>
        public const byte Version = 0x12;

        /// <summary>RegOpMode bit 7: LoRa rather than FSK/OOK; changes only in sleep.</summary>
        public const byte LongRangeMode = 0x80;

        /// <summary>Mode bits of RegOpMode.</summary>
        public const byte ModeMask = 0x07;

        /// <summary>Sleep mode.</summary>
        public const byte ModeSleep = 0x00;

        /// <summary>Standby mode.</summary>
        public const byte ModeStandby = 0x01;

        /// <summary>Transmit: sends RegPayloadLength bytes from RegFifoTxBaseAddr, then back to standby.</summary>
        public const byte ModeTransmit = 0x03;

        /// <summary>Receive continuously.</summary>
        public const byte ModeReceiveContinuous = 0x05;

        /// <summary>Receive one packet.</summary>
        public const byte ModeReceiveSingle = 0x06;

        /// <summary>RegIrqFlags: a packet was received.</summary>
        public const byte IrqRxDone = 0x40;

        /// <summary>RegIrqFlags: the received packet's CRC was wrong.</summary>
        public const byte IrqPayloadCrcError = 0x20;

        /// <summary>RegIrqFlags: transmission finished.</summary>
        public const byte IrqTxDone = 0x08;

        /// <summary>RegPaConfig: PA_BOOST output (the pin RFM95W modules wire to the antenna).</summary>
        public const byte PaBoost = 0x80;

        /// <summary>RegModemConfig2: payload CRC on.</summary>
        public const byte RxPayloadCrcOn = 0x04;

        /// <summary>RegModemConfig3: LowDataRateOptimize.</summary>
        public const byte LowDataRateOptimize = 0x08;

        /// <summary>RegModemConfig3: LNA gain set by the AGC.</summary>
        public const byte AgcAutoOn = 0x04;

        /// <summary>RegPktRssiValue offset on the HF port (≥ 779 MHz): dBm = value − 157.</summary>
        public const int RssiOffsetHf = 157;

        /// <summary>RegPktRssiValue offset on the LF port: dBm = value − 164.</summary>
        public const int RssiOffsetLf = 164;

        /// <summary>Bandwidth code for RegModemConfig1 bits 7–4, or −1 when the chip has no such bandwidth.</summary>
        /// <param name="bandwidthHz">Bandwidth in Hz (7,800 … 500,000).</param>
        /// <returns>The code 0–9, or −1.</returns>
        public static int BandwidthCode(long bandwidthHz)
        {
            switch (bandwidthHz)
            {
                case 7800: return 0;
                case 10400: return 1;
                case 15600: return 2;
                case 20800: return 3;
                case 31250: return 4;
                case 41700: return 5;
                case 62500: return 6;
                case 125000: return 7;
                case 250000: return 8;
                case 500000: return 9;
                default: return -1;
            }
        }

        /// <summary>Bandwidth in Hz of a RegModemConfig1 code, or 0 for a reserved code.</summary>
        /// <param name="code">Bits 7–4 of RegModemConfig1.</param>
        /// <returns>The bandwidth in Hz, or 0.</returns>
        public static long BandwidthOfCode(int code)
        {
            switch (code)
            {
                case 0: return 7800;
                case 1: return 10400;
                case 2: return 15600;
                case 3: return 20800;
                case 4: return 31250;
                case 5: return 41700;
                case 6: return 62500;
                case 7: return 125000;
                case 8: return 250000;
                case 9: return 500000;
                default: return 0;
            }
        }

        /// <summary>The 24-bit Frf register value for a carrier frequency.</summary>
        /// <param name="frequencyHz">Carrier in Hz.</param>
        /// <returns>Frf = f · 2^19 / 32 MHz, rounded.</returns>
        public static int FrfOf(long frequencyHz)
        {
            return (int)(((frequencyHz << 19) + 16000000) / 32000000);
        }

        /// <summary>The carrier frequency of a 24-bit Frf value, in Hz (rounded).</summary>
        /// <param name="frf">RegFrf value.</param>
        /// <returns>The frequency in Hz.</returns>
        public static long FrequencyOfFrf(int frf)
        {
            return ((long)frf * 32000000 + (1 << 18)) >> 19;
        }
    }
}
