using System;
using TimingMat.Core.Hardware;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// Everything a <see cref="MatUnit"/> runs on, in one object: the device's Program, <c>timingmat unit</c>, the race
    /// simulator's mats and the tests each fill one in from their own parts (real ports and flash, desktop ports and
    /// folders, emulators) and hand it to the same application.
    /// </summary>
    /// <remarks>Required: <see cref="Clock"/>, <see cref="Readers"/> (1–8), <see cref="Gps"/>, <see cref="Pps"/>,
    /// <see cref="Store"/>, <see cref="Mqtt"/>, <see cref="Hmac"/> and <see cref="Rebooter"/>; the rest may stay
    /// <c>null</c> when the board has no such part. <see cref="Check"/> says what is missing.</remarks>
    public sealed class UnitHardware
    {
        /// <summary>Initializes a new instance of the <see cref="UnitHardware"/> class with nothing filled in.</summary>
        public UnitHardware()
        {
            FirmwareVersion = "unknown";
        }

        /// <summary>Gets or sets the unit's microsecond counter since boot.</summary>
        public IMicrosecondClock Clock { get; set; }

        /// <summary>Gets or sets the reader modules' UARTs, 1–8; the index is the reader index (reader i's ports are mat antennas i × 16 + port).</summary>
        public IBytePort[] Readers { get; set; }

        /// <summary>Gets or sets the GPS's NMEA UART.</summary>
        public IBytePort Gps { get; set; }

        /// <summary>
        /// Gets or sets why the GPS cannot be heard this boot, or <c>null</c> when it can: a board whose serial console
        /// borrowed the GPS's UART (a USB-serial adapter plugged in at boot) gives <see cref="Gps"/> a port that stays
        /// silent. The self-test then skips <c>gps</c> and <c>fix</c> with this reason instead of blaming the GPS's wiring.
        /// </summary>
        public string GpsUnheardReason { get; set; }

        /// <summary>Gets or sets the GPS's PPS edges.</summary>
        public IPpsSource Pps { get; set; }

        /// <summary>Gets or sets the storage of the journal and the unit's state (command counter, boot record, clock frequency).</summary>
        public IFileStore Store { get; set; }

        /// <summary>Gets or sets the MQTT session to the race broker.</summary>
        public IMqttLink Mqtt { get; set; }

        /// <summary>Gets or sets the SX127x LoRa radio on SPI, or <c>null</c> when the board has none.</summary>
        public ISpiDevice LoraRadio { get; set; }

        /// <summary>Gets or sets the battery and temperature sensing, or <c>null</c>.</summary>
        public IBatterySensor Battery { get; set; }

        /// <summary>Gets or sets the LED and buzzer, or <c>null</c>: the LED is lit while reads come in (the walk test), the buzzer beeps for each test tag read.</summary>
        public IUnitSignal Signal { get; set; }

        /// <summary>Gets or sets the free-heap meter, or <c>null</c> (the status then says <c>null</c>).</summary>
        public IMemoryMeter Memory { get; set; }

        /// <summary>Gets or sets the platform's HMAC-SHA256, which checks commands and LoRa acks.</summary>
        public IHmacSha256 Hmac { get; set; }

        /// <summary>Gets or sets what restarts the board when the supervisor or a command asks for it.</summary>
        public IRebooter Rebooter { get; set; }

        /// <summary>Gets or sets the firmware's version, e.g. <c>1.4.0</c>; reported in the status.</summary>
        public string FirmwareVersion { get; set; }

        /// <summary>Checks that every required part is there.</summary>
        /// <exception cref="ArgumentException">A required part is missing, or there are not 1–8 reader ports; the message names it.</exception>
        public void Check()
        {
            Require(Clock != null, "Clock");
            Require(Readers != null && Readers.Length >= 1 && Readers.Length <= MatUnit.MaxReaders, "Readers (1-8 ports)");
            for (int i = 0; i < Readers.Length; i++)
            {
                Require(Readers[i] != null, "Readers[" + i.ToString() + "]");
            }

            Require(Gps != null, "Gps");
            Require(Pps != null, "Pps");
            Require(Store != null, "Store");
            Require(Mqtt != null, "Mqtt");
            Require(Hmac != null, "Hmac");
            Require(Rebooter != null, "Rebooter");
        }

        /// <summary>Checks the parts the tent's LoRa gateway needs (<c>lora.role = gateway</c>): no reader, GPS or PPS, but a radio.</summary>
        /// <exception cref="ArgumentException">A part is missing; the message names it.</exception>
        public void CheckGateway()
        {
            Require(Clock != null, "Clock");
            Require(Mqtt != null, "Mqtt");
            Require(LoraRadio != null, "LoraRadio (a gateway needs its SX127x)");
            Require(Hmac != null, "Hmac");
            Require(Rebooter != null, "Rebooter");
        }

        private static void Require(bool present, string part)
        {
            if (!present)
            {
                throw new ArgumentException("UnitHardware." + part + " is missing.");
            }
        }
    }
}
