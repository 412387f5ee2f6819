using TimingMat.Mqtt.Broker;
using TimingMat.Tent.Emulation;

namespace TimingMat.Uplink.Tests.Tent;

/// <summary>The fault tests' fleet: units 1-4 on a broker, 2 runners/s, a status every second, faults on cue.</summary>
internal static class FaultedFleet
{
    public static readonly int[] Ids = [1, 2, 3, 4];

    private static readonly byte[] Key = Convert.FromHexString("5e1f0c3a9b7d24e68f0a1c3e5b7d9f21");

    public static EmulationOptions Options(MosquittoProcess broker, string faults) => new()
    {
        Broker = broker.Address,
        Units = [.. Ids.Select(id => new EmulatedUnitSpec(id, "km" + id, Key))],
        RunnersPerSecond = 2,
        StatusIntervalSeconds = 1,
        Faults = FaultPlan.Parse(faults, Ids),
    };
}
