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
        private const int ConsoleBufferBytes = 1024;
        private const int PollMilliseconds = 10;

        // What the self-test says of the GPS on a boot whose serial console holds its UART.
        private const string GpsLentReason = "the serial console holds the GPS's UART this boot (its adapter was plugged in at start): unplug it and restart the board to hear the GPS";

        // Static, so the collector never takes the mounted card or the watchdog timer away from a running unit.
        private static object s_card;
        private static Timer s_watchdog;

        /// <summary>Starts the unit. Never returns.</summary>
        public static void Main()
        {
            bool usedDefault = false;
            BoardProfile board = null;
            try
            {
                board = BoardConfigLoader.Load(out usedDefault);
            }
            catch (Exception e)
            {
                // Never guess pins: a wrong TX pin can hold a module in reset. Say why, forever, on the debug console.
                Halt("board.cfg rejected: " + e.Message);
            }

            Debug.WriteLine("TimingMat " + FirmwareVersion + " on " + board.Name + " (" + board.Target + ")" + (usedDefault ? ", built-in profile: deploy I:\\board.cfg for your wiring" : string.Empty));
            HighResMicrosecondClock clock = new HighResMicrosecondClock();
            GpioController gpio = new GpioController();

            // No UART is free for a serial console: it borrows the GPS's, only for a boot that finds its USB-serial
            // adapter plugged in (a technician at the bench), so a unit in the field always hears its GPS.
            bool serialConsole = board.Console != null && ConsoleAdapterSense.IsPlugged(gpio, board.Console.RxPin);
            SerialBytePort reader = new SerialBytePort(board.Reader, ReaderBufferBytes);
            IBytePort gps = serialConsole ? (IBytePort)new LentUartPort(board.Gps.Baud) : new SerialBytePort(board.Gps, GpsBufferBytes);
            GpioPpsSource pps = new GpioPpsSource(gpio, board.PpsPin);
            if (board.Sd != SdInterface.None)
            {
                s_card = SdCardDrive.Mount(board);
            }

            FlashFileStore store = new FlashFileStore(board.StorageRoot);
            FlashFileStore configStore = board.StorageRoot == UnitConfigLoader.Drive ? store : new FlashFileStore(UnitConfigLoader.Drive);
            SpiBusDevice radio = board.Lora == null ? null : new SpiBusDevice(board.Lora);
            PowerRebooter rebooter = new PowerRebooter();

            // The console (firmware/docs/console.md) is served on the network from the first boot: it is how a board is
            // provisioned, and how a rejected configuration is replaced without a cable.
            // With the adapter plugged in, a second console on the UART: each keeps its own staged configuration and line,
            // and either one's commit restarts the board on unit.cfg.
            UnitConsole console = new UnitConsole(new TcpConsolePort(UnitConsole.TcpPort), configStore, clock, rebooter, FirmwareVersion);
            UnitConsole wired = null;
            if (serialConsole)
            {
                wired = new UnitConsole(new SerialBytePort(board.Console, ConsoleBufferBytes), configStore, clock, rebooter, FirmwareVersion);
                Debug.WriteLine("serial console on " + board.Console.Port + " (rx GPIO " + board.Console.RxPin.ToString() + ", tx GPIO " + board.Console.TxPin.ToString() + ", " + board.Console.Baud.ToString() + " baud): the GPS is not heard this boot; unplug the adapter and restart to time");
            }

            UnitConfig config = null;
            string rejected = null;
            try
            {
                config = UnitConfigLoader.Load(configStore);
                if (config != null)
                {
                    board.CheckTls(config.MqttTls);
                }
            }
            catch (Exception e)
            {
                // Never guess a unit id: a wrong one files passings under another mat. Keep the console up to fix it.
                rejected = "unit.cfg rejected: " + e.Message;
                config = null;
            }

            if (config == null)
            {
                RunUnprovisioned(rejected, clock, reader, gps, pps, store, radio, console, wired);
            }

            NetworkUplink network = config.UsesWifi ? (NetworkUplink)new WifiUplink(config.WifiSsid, config.WifiPassword) : new EthernetUplink(board.EthernetPhy);
            network.Start();
            string ca = config.MqttCaFile == null ? null : UnitConfigLoader.ReadCompanion(config.MqttCaFile);
            if (config.MqttCaFile != null && ca == null)
            {
                RunUnprovisioned("mqtt.ca_file = " + config.MqttCaFile + ": not in " + UnitConfigLoader.Folder, clock, reader, gps, pps, store, radio, console, wired);
            }

            M2MqttLink mqtt = ca == null
                ? new M2MqttLink(clock, config.MqttHost, config.MqttPort)
                : new M2MqttLink(clock, config.MqttHost, config.MqttPort, new X509Certificate(ca));

            UnitHardware hardware = new UnitHardware();
            hardware.Clock = clock;
            hardware.Readers = new IBytePort[] { reader };
            hardware.Gps = gps;
            hardware.GpsUnheardReason = serialConsole ? GpsLentReason : null;
            hardware.Pps = pps;
            hardware.Store = store;
            hardware.Mqtt = mqtt;
            hardware.LoraRadio = radio;
            hardware.Battery = board.BatteryAdcChannel >= 0 ? new AdcBatterySensor(board) : null;
            hardware.Signal = new GpioUnitSignal(gpio, board.LedPin, board.BuzzerPin);
            hardware.Memory = new GcMemoryMeter();
            hardware.Hmac = new NativeHmacSha256();
            hardware.Rebooter = rebooter;
            hardware.FirmwareVersion = FirmwareVersion;

            MatUnitSettings settings = config.ToSettings();

            // A recreated journal must not look like the old one to the collector: a fresh random id (the ESP32's RNG).
            settings.Journal.NewJournalId = new Random().Next(int.MaxValue - 1) + 1;
            settings.Crossings.SetCapacity(board.CrossingChips);
            gps.Open();
            IUnitApplication unit = null;
            try
            {
                unit = UnitApplication.Create(config, settings, hardware);
            }
            catch (ArgumentException e)
            {
                RunUnprovisioned("unit.cfg cannot run on this board: " + e.Message, clock, reader, gps, pps, store, radio, console, wired);
            }

            MatUnit mat = unit as MatUnit;
            if (mat != null)
            {
                // The mat serves the console from its own loop: it reports on and self-tests the running unit.
                mat.AttachConsole(console);
                if (wired != null)
                {
                    wired.Unit = mat;
                }

                Debug.WriteLine("unit " + config.Unit.ToString() + " (" + config.MatName + "), memory: " + mat.Memory.ToString());
            }
            else
            {
                Debug.WriteLine("unit " + config.Unit.ToString() + ": LoRa gateway");
            }

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
                if (mat == null)
                {
                    console.Poll();
                }

                if (wired != null)
                {
                    wired.Poll();
                }

                Thread.Sleep(PollMilliseconds);
            }
        }

        // A board fresh from the bench, or one whose configuration it cannot run: prove the wiring and serve the console
        // until it is provisioned (a commit restarts the board on the new configuration). Never returns.
        private static void RunUnprovisioned(string why, HighResMicrosecondClock clock, SerialBytePort reader, IBytePort gps, GpioPpsSource pps, FlashFileStore store, SpiBusDevice radio, UnitConsole console, UnitConsole wired)
        {
            string advice = (why == null ? "not provisioned" : why) + ": run 'timingmat provision' (console on tcp port " + UnitConsole.TcpPort.ToString() + (wired == null ? string.Empty : " and on the serial console's adapter") + ")";
            reader.Open();
            gps.Open();
            WiringCheck check = new WiringCheck(clock, reader, gps, pps, store, radio, 1000000);
            while (true)
            {
                console.Poll();
                if (wired != null)
                {
                    wired.Poll();
                }

                if (check.Poll())
                {
                    Debug.WriteLine(check.LastReport.ToString() + " | " + advice);
                }

                Thread.Sleep(PollMilliseconds);
            }
        }

        private static void Supervise(object unit)
        {
            ((IUnitApplication)unit).Supervise();
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
