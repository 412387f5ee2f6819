using System;
using System.Device.Gpio;
using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using TimingMat.Core.Board;
using TimingMat.Core.BringUp;
using TimingMat.Core.Hardware;
using TimingMat.Core.Unit;
using TimingMat.Device.Adapters;
using TimingMat.Device.BringUp;

namespace TimingMat.Device
{
    /// <summary>
    /// The mat unit's composition root: loads the board profile and the unit configuration from flash, builds the
    /// adapters the core consumes, and runs the unit application (<see cref="MatUnit"/>) from one polling loop with its
    /// supervisor on a timer. Everything the unit does is in the core; this file only wires the board to it.
    /// </summary>
    public static class Program
    {
        private const string FirmwareVersion = "0.1.0";
        private const int ReaderBufferBytes = 4096;
        private const int GpsBufferBytes = 1024;
        private const int PollMilliseconds = 10;

        // Static, so the collector never takes the mounted card or the watchdog timer away from a running unit.
        private static object s_card;
        private static Timer s_watchdog;

        /// <summary>Starts the unit. Never returns.</summary>
        public static void Main()
        {
            bool usedDefault = false;
            BoardProfile board = null;
            UnitConfig config = null;
            try
            {
                board = BoardConfigLoader.Load(out usedDefault);
                config = UnitConfigLoader.Load();
                if (config != null)
                {
                    board.CheckTls(config.MqttTls);
                }
            }
            catch (Exception e)
            {
                // Never guess pins or a unit id: a wrong TX pin can hold a module in reset, a wrong id files passings under
                // another mat. Say why, forever, on the console.
                Halt((board == null ? "board.cfg" : "unit.cfg") + " rejected: " + e.Message);
            }

            Debug.WriteLine("TimingMat " + FirmwareVersion + " on " + board.Name + " (" + board.Target + ")" + (usedDefault ? ", built-in profile: deploy I:\\board.cfg for your wiring" : string.Empty));
            HighResMicrosecondClock clock = new HighResMicrosecondClock();
            GpioController gpio = new GpioController();
            SerialBytePort reader = new SerialBytePort(board.Reader, ReaderBufferBytes);
            SerialBytePort gps = new SerialBytePort(board.Gps, GpsBufferBytes);
            GpioPpsSource pps = new GpioPpsSource(gpio, board.PpsPin);
            if (board.Sd != SdInterface.None)
            {
                s_card = SdCardDrive.Mount(board);
            }

            FlashFileStore store = new FlashFileStore(board.StorageRoot);
            SpiBusDevice radio = board.Lora == null ? null : new SpiBusDevice(board.Lora);
            if (config == null)
            {
                // A board fresh from the bench: prove the wiring until it is provisioned.
                reader.Open();
                gps.Open();
                WiringCheck check = new WiringCheck(clock, reader, gps, pps, store, radio, 1000000);
                while (true)
                {
                    if (check.Poll())
                    {
                        Debug.WriteLine(check.LastReport.ToString() + " | not provisioned: run 'timingmat provision' (writes " + UnitConfigLoader.ConfigPath + ")");
                    }

                    Thread.Sleep(PollMilliseconds);
                }
            }

            NetworkUplink network = config.UsesWifi ? (NetworkUplink)new WifiUplink(config.WifiSsid, config.WifiPassword) : new EthernetUplink(board.EthernetPhy);
            network.Start();
            M2MqttLink mqtt = config.MqttCaFile == null
                ? new M2MqttLink(clock, config.MqttHost, config.MqttPort)
                : new M2MqttLink(clock, config.MqttHost, config.MqttPort, new X509Certificate(UnitConfigLoader.ReadCompanion(config.MqttCaFile)));

            UnitHardware hardware = new UnitHardware();
            hardware.Clock = clock;
            hardware.Readers = new IBytePort[] { reader };
            hardware.Gps = gps;
            hardware.Pps = pps;
            hardware.Store = store;
            hardware.Mqtt = mqtt;
            hardware.LoraRadio = radio;
            hardware.Battery = board.BatteryAdcChannel >= 0 ? new AdcBatterySensor(board) : null;
            hardware.Signal = new GpioUnitSignal(gpio, board.LedPin, board.BuzzerPin);
            hardware.Memory = new GcMemoryMeter();
            hardware.Hmac = new NativeHmacSha256();
            hardware.Rebooter = new PowerRebooter();
            hardware.FirmwareVersion = FirmwareVersion;

            MatUnitSettings settings = config.ToSettings();

            // A recreated journal must not look like the old one to the collector: a fresh random id (the ESP32's RNG).
            settings.Journal.NewJournalId = new Random().Next(int.MaxValue - 1) + 1;
            settings.Crossings.SetCapacity(board.CrossingChips);
            gps.Open();
            MatUnit unit = new MatUnit(config, settings, hardware);
            Debug.WriteLine("unit " + config.Unit.ToString() + " (" + config.MatName + "), memory: " + unit.Memory.ToString());
            if (!unit.Start())
            {
                // Timing goes on into the ring; the status raises storage_fault so the tent sees it.
                Debug.WriteLine("journal on " + board.StorageRoot + " cannot be opened: passings stay in RAM until it can");
            }

            // The watchdog runs on the timer's thread: it can see a loop stuck inside a part and reboot the board.
            s_watchdog = new Timer(Supervise, unit, 1000, 1000);
            while (true)
            {
                unit.Poll();
                Thread.Sleep(PollMilliseconds);
            }
        }

        private static void Supervise(object unit)
        {
            ((MatUnit)unit).Supervise();
        }

        private static void Halt(string reason)
        {
            while (true)
            {
                Debug.WriteLine(reason);
                Thread.Sleep(5000);
            }
        }
    }
}
