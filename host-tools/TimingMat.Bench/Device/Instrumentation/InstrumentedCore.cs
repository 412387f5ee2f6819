using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using TimingMat.Bench.Device.Workloads;

namespace TimingMat.Bench.Device.Instrumentation;

/// <summary>
/// The firmware core with counters in it, loaded beside the normal one: a collectible load context holds the
/// instrumented <c>TimingMat.Core</c> and its own copies of the emulators and of this assembly's workloads, which bind
/// to it; everything else comes from the default context. Requests and results cross as JSON.
/// </summary>
internal sealed class InstrumentedCore
{
    private static readonly string[] s_ownCopies = ["TimingMat.Bench.Device", "TimingMat.Emulators", "TimingMat.Host"];

    private readonly InstrumentedAssembly _assembly;

    private InstrumentedCore(InstrumentedAssembly assembly)
    {
        _assembly = assembly;
    }

    /// <summary>Gets the counted methods, by counter index.</summary>
    public IReadOnlyList<MethodCounterName> Methods => _assembly.Methods;

    /// <summary>Instruments the core this process was built with (TimingMat.Core.dll beside this assembly).</summary>
    /// <returns>The instrumented core, ready to run workloads.</returns>
    public static InstrumentedCore FromBuild()
    {
        var path = typeof(TimingMat.Core.Unit.MatUnit).Assembly.Location;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            throw new InvalidOperationException("TimingMat.Core.dll is not on disk beside the tool, so it cannot be instrumented.");
        }

        return new InstrumentedCore(CoreInstrumenter.Instrument(path));
    }

    /// <summary>Runs one workload on a fresh copy of the instrumented core (nothing carries over between workloads).</summary>
    /// <param name="request">The workload.</param>
    /// <returns>What it counted.</returns>
    public WorkloadResult Run(WorkloadRequest request)
    {
        var context = new CoreContext(_assembly.Image);
        try
        {
            var self = context.LoadFromAssemblyPath(typeof(InstrumentedCore).Assembly.Location);
            var entry = self.GetType(typeof(UnitWorkload).FullName!, throwOnError: true)!
                .GetMethod(nameof(UnitWorkload.Run), BindingFlags.Public | BindingFlags.Static, [typeof(string)])!;
            string json;
            try
            {
                json = (string)entry.Invoke(null, [JsonSerializer.Serialize(request with { MethodCount = _assembly.Methods.Count })])!;
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                throw new InvalidOperationException($"workload '{request.Name}' failed: {e.InnerException.Message}", e.InnerException);
            }

            return JsonSerializer.Deserialize<WorkloadResult>(json)!;
        }
        finally
        {
            context.Unload();
        }
    }

    private sealed class CoreContext(byte[] image) : AssemblyLoadContext("instrumented TimingMat.Core", isCollectible: true)
    {
        protected override Assembly? Load(AssemblyName name)
        {
            if (name.Name == "TimingMat.Core")
            {
                using var stream = new MemoryStream(image);
                return LoadFromStream(stream);
            }

            if (s_ownCopies.Contains(name.Name))
            {
                return LoadFromAssemblyPath(Path.Combine(Path.GetDirectoryName(typeof(InstrumentedCore).Assembly.Location)!, name.Name + ".dll"));
            }

            return null;
        }
    }
}
