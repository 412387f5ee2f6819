using TimingMat.Core.Hardware;
using TimingMat.Core.Lora;
using TimingMat.Host.Clock;
using TimingMat.Host.Crypto;

namespace TimingMat.Collector.Lora;

/// <summary>
/// The tent computer's LoRa receiver (<c>timingmat collect --lora spidev0.0</c>): the firmware's gateway on an SX127x
/// the computer reaches (a Raspberry Pi's SX1276 hat through <see cref="SpidevRadio"/>), delivering into the running
/// collector between its polls, on a thread of its own polling the radio every 2 ms.
/// </summary>
public sealed class DesktopLoRaReceiver : IDisposable
{
    private readonly CollectorService _service;
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;

    /// <summary>Initializes a new instance of the <see cref="DesktopLoRaReceiver"/> class.</summary>
    /// <param name="service">The running collector.</param>
    /// <param name="radio">The SX127x.</param>
    /// <param name="options">The mats' channel and the receiver's duty cycle.</param>
    /// <param name="keys">Every unit's command key.</param>
    /// <param name="chips">The race's chip list, or null.</param>
    /// <param name="clock">Microsecond clock (a stopwatch unless a test gives one).</param>
    public DesktopLoRaReceiver(CollectorService service, ISpiDevice radio, LoRaOptions options, LoRaKeyList keys, LoRaChipList? chips, IMicrosecondClock? clock = null)
    {
        _service = service;
        Gateway = CollectorLoRaDelivery.GatewayFor(radio, clock ?? new StopwatchClock(), service.Collector, options, keys, chips, DesktopHmacSha256.Instance);
    }

    /// <summary>Gets the gateway (its counts; read them through <see cref="CollectorService.Read{T}"/>).</summary>
    public LoRaGateway Gateway { get; }

    /// <summary>Gets the SPI device's error while it fails (tried again every second), or null.</summary>
    public string? SpiError { get; private set; }

    /// <summary>Sets the radio up and starts listening on the receiver's thread.</summary>
    /// <returns><c>false</c> when the radio does not answer (<see cref="Sx127xRadio.Fault"/> says why); it is tried again every 10 s.</returns>
    public bool Start()
    {
        var ready = _service.Read((_, _) => Gateway.Start());
        _thread = new Thread(Loop) { IsBackground = true, Name = "lora-receiver" };
        _thread.Start();
        return ready;
    }

    /// <summary>Stops the receiver's thread.</summary>
    public void Stop()
    {
        _stop.Cancel();
        _thread?.Join();
        _thread = null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    private void Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            var wait = 2;
            try
            {
                // Between the collector's polls: the gateway stores through the collector, which is not thread-safe.
                _service.Read((_, _) =>
                {
                    Gateway.Poll();
                    return 0;
                });
                SpiError = null;
            }
            catch (IOException e)
            {
                // The SPI device went away under us (a hat unplugged, a driver unloaded): say so and keep trying,
                // the collector's MQTT side runs on regardless.
                SpiError = e.Message;
                wait = 1000;
            }

            _stop.Token.WaitHandle.WaitOne(wait);
        }
    }
}
