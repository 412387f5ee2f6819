using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace TimingMat.Bench.Device.Instrumentation;

/// <summary>
/// Rewrites the firmware core assembly so that it counts what it executes: at the start of every basic block a probe
/// adds the block's IL instruction count and call count (<c>call</c>, <c>callvirt</c>, <c>newobj</c>) to its method's
/// counters. The probe counts only while <see cref="CountersType"/>'s <c>On</c> flag is set, so the bench counts the
/// unit's polls and not the emulators that call into the core to build their frames.
/// </summary>
/// <remarks>
/// A block runs to its end once entered (the core throws only on faults), so counting per block entry gives the exact
/// number of instructions the interpreter dispatches for the same IL. <c>nop</c>s are not counted: the Release build
/// the device runs has none. The probe is inserted by turning the leader into the probe's first instruction and
/// re-adding the leader after it, so every branch, switch and exception handler that targeted the leader runs the probe.
/// </remarks>
internal static class CoreInstrumenter
{
    /// <summary>Namespace and name of the counters type injected into the core.</summary>
    public const string CountersNamespace = "TimingMat.Bench.Device.Probe";

    /// <summary>Name of the counters type.</summary>
    public const string CountersName = "IlCounters";

    /// <summary>Gets the full name of the counters type.</summary>
    public static string CountersType => CountersNamespace + "." + CountersName;

    /// <summary>Instruments an assembly.</summary>
    /// <param name="assemblyPath">The core assembly (TimingMat.Core.dll).</param>
    /// <returns>The rewritten assembly and the methods its counters are indexed by.</returns>
    /// <exception cref="InvalidOperationException">The assembly was built without optimisation (a Debug build counts instructions the device never runs).</exception>
    public static InstrumentedAssembly Instrument(string assemblyPath)
    {
        using var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(Path.GetFullPath(assemblyPath)));
        using var module = ModuleDefinition.ReadModule(assemblyPath, new ReaderParameters { AssemblyResolver = resolver, InMemory = true, ReadSymbols = false });
        RefuseUnoptimised(module);

        var counters = AddCountersType(module, out var hit);
        var methods = new List<MethodCounterName>();
        foreach (var type in module.GetTypes().ToList())
        {
            if (type == counters)
            {
                continue;
            }

            foreach (var method in type.Methods)
            {
                if (!method.HasBody || method.Body.Instructions.Count == 0)
                {
                    continue;
                }

                var id = methods.Count;
                methods.Add(NameOf(method));
                InstrumentMethod(method, id, hit);
            }
        }

        using var output = new MemoryStream();
        module.Write(output);
        return new InstrumentedAssembly(output.ToArray(), methods);
    }

    private static void RefuseUnoptimised(ModuleDefinition module)
    {
        var debuggable = module.Assembly.CustomAttributes.FirstOrDefault(a => a.AttributeType.FullName == "System.Diagnostics.DebuggableAttribute");
        if (debuggable == null || debuggable.ConstructorArguments.Count != 1)
        {
            return;
        }

        var modes = Convert.ToInt32(debuggable.ConstructorArguments[0].Value, System.Globalization.CultureInfo.InvariantCulture);
        const int disableOptimizations = 0x100;
        if ((modes & disableOptimizations) != 0)
        {
            throw new InvalidOperationException($"{module.Assembly.Name.Name} was built without optimisation, so its IL is not what the device runs.");
        }
    }

    private static MethodCounterName NameOf(MethodDefinition method)
    {
        var type = method.DeclaringType;
        var outer = type;
        while (outer.DeclaringType != null)
        {
            outer = outer.DeclaringType;
        }

        var typeName = type == outer ? type.Name : outer.Name + "." + type.Name;
        return new MethodCounterName(outer.Namespace, typeName, method.Name);
    }

    // public static class IlCounters { public static long[] Instructions, Calls; public static long TotalInstructions,
    // TotalCalls; public static bool On; public static void Hit(int id, int il, int calls) }.
    private static TypeDefinition AddCountersType(ModuleDefinition module, out MethodDefinition hit)
    {
        var ts = module.TypeSystem;
        var type = new TypeDefinition(CountersNamespace, CountersName, TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.Class, ts.Object);
        module.Types.Add(type);
        var longArray = new ArrayType(ts.Int64);
        var instructions = AddField(type, "Instructions", longArray);
        var calls = AddField(type, "Calls", longArray);
        var totalInstructions = AddField(type, "TotalInstructions", ts.Int64);
        var totalCalls = AddField(type, "TotalCalls", ts.Int64);
        var on = AddField(type, "On", ts.Boolean);

        hit = new MethodDefinition("Hit", MethodAttributes.Public | MethodAttributes.Static | MethodAttributes.HideBySig, ts.Void);
        hit.Parameters.Add(new ParameterDefinition("id", ParameterAttributes.None, ts.Int32));
        hit.Parameters.Add(new ParameterDefinition("il", ParameterAttributes.None, ts.Int32));
        hit.Parameters.Add(new ParameterDefinition("calls", ParameterAttributes.None, ts.Int32));
        type.Methods.Add(hit);
        var il = hit.Body.GetILProcessor();
        var done = il.Create(OpCodes.Ret);
        il.Emit(OpCodes.Ldsfld, on);
        il.Emit(OpCodes.Brfalse, done);
        EmitAddToElement(il, instructions, 1);
        EmitAddToElement(il, calls, 2);
        EmitAddToTotal(il, totalInstructions, 1);
        EmitAddToTotal(il, totalCalls, 2);
        il.Append(done);
        return type;
    }

    private static FieldDefinition AddField(TypeDefinition type, string name, TypeReference fieldType)
    {
        var field = new FieldDefinition(name, FieldAttributes.Public | FieldAttributes.Static, fieldType);
        type.Fields.Add(field);
        return field;
    }

    private static void EmitAddToElement(ILProcessor il, FieldDefinition array, int argument)
    {
        il.Emit(OpCodes.Ldsfld, array);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldelema, il.Body.Method.Module.TypeSystem.Int64);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Ldind_I8);
        il.Emit(OpCodes.Ldarg, il.Body.Method.Parameters[argument]);
        il.Emit(OpCodes.Conv_I8);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Stind_I8);
    }

    private static void EmitAddToTotal(ILProcessor il, FieldDefinition total, int argument)
    {
        il.Emit(OpCodes.Ldsfld, total);
        il.Emit(OpCodes.Ldarg, il.Body.Method.Parameters[argument]);
        il.Emit(OpCodes.Conv_I8);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Stsfld, total);
    }

    private static void InstrumentMethod(MethodDefinition method, int id, MethodDefinition hit)
    {
        var body = method.Body;
        body.SimplifyMacros();
        var instructions = body.Instructions.ToList();
        var leaders = Leaders(body, instructions);

        // Cost of each block: its instructions (nop excluded) and calls, up to the next leader.
        var blocks = new List<(Instruction Leader, int Il, int Calls)>();
        for (var i = 0; i < instructions.Count; i++)
        {
            if (!leaders.Contains(instructions[i]))
            {
                continue;
            }

            int il = 0, calls = 0;
            for (var j = i; j < instructions.Count && (j == i || !leaders.Contains(instructions[j])); j++)
            {
                var code = instructions[j].OpCode.Code;
                if (code != Code.Nop)
                {
                    il++;
                }

                if (code is Code.Call or Code.Callvirt or Code.Newobj or Code.Calli)
                {
                    calls++;
                    if (instructions[j].Operand is MethodReference callee && ManagedWrappers.TryGetValue(Key(callee), out var wrapper))
                    {
                        // A base-library method that is managed IL around its native part on the device.
                        il += wrapper.Il;
                        calls += wrapper.Calls;
                    }
                }
            }

            blocks.Add((instructions[i], il, calls));
        }

        var processor = body.GetILProcessor();
        foreach (var (leader, il, calls) in blocks)
        {
            // The leader becomes the probe's first instruction, so everything that targeted it now runs the probe.
            var original = processor.Create(OpCodes.Nop);
            original.OpCode = leader.OpCode;
            original.Operand = leader.Operand;
            leader.OpCode = OpCodes.Ldc_I4;
            leader.Operand = id;
            var count = processor.Create(OpCodes.Ldc_I4, il);
            var callCount = processor.Create(OpCodes.Ldc_I4, calls);
            var probe = processor.Create(OpCodes.Call, hit);
            processor.InsertAfter(leader, count);
            processor.InsertAfter(count, callCount);
            processor.InsertAfter(callCount, probe);
            processor.InsertAfter(probe, original);
        }

        body.OptimizeMacros();
    }

    // Base-library methods that nanoFramework's mscorlib implements as managed IL around an internal call: what the
    // device runs besides the call itself (the desktop's IL of these methods says nothing about the device's).
    // Array.IndexOf(Array, object, int, int): nine instructions and the call of the native TrySzIndexOf, which answers
    // for every array of a primitive type.
    private static readonly Dictionary<string, (int Il, int Calls)> ManagedWrappers = new(StringComparer.Ordinal)
    {
        ["System.Array::IndexOf/4"] = (9, 1),
    };

    private static string Key(MethodReference method) => method.DeclaringType.FullName + "::" + method.Name + "/" + method.Parameters.Count;

    private static HashSet<Instruction> Leaders(MethodBody body, List<Instruction> instructions)
    {
        var leaders = new HashSet<Instruction> { instructions[0] };
        for (var i = 0; i < instructions.Count; i++)
        {
            var instruction = instructions[i];
            switch (instruction.Operand)
            {
                case Instruction target:
                    leaders.Add(target);
                    break;
                case Instruction[] targets:
                    foreach (var target in targets)
                    {
                        leaders.Add(target);
                    }

                    break;
            }

            var flow = instruction.OpCode.FlowControl;
            if ((flow is FlowControl.Branch or FlowControl.Cond_Branch or FlowControl.Return or FlowControl.Throw) && i + 1 < instructions.Count)
            {
                leaders.Add(instructions[i + 1]);
            }
        }

        foreach (var handler in body.ExceptionHandlers)
        {
            foreach (var boundary in new[] { handler.TryStart, handler.TryEnd, handler.HandlerStart, handler.HandlerEnd, handler.FilterStart })
            {
                if (boundary != null)
                {
                    leaders.Add(boundary);
                }
            }
        }

        return leaders;
    }
}

/// <summary>The instrumented core and the methods its counters are indexed by.</summary>
/// <param name="Image">The rewritten assembly.</param>
/// <param name="Methods">Method names by counter index.</param>
internal sealed record InstrumentedAssembly(byte[] Image, IReadOnlyList<MethodCounterName> Methods);

/// <summary>A counted method.</summary>
/// <param name="Namespace">Namespace of its (outermost) declaring type.</param>
/// <param name="Type">Declaring type (nested types as Outer.Inner).</param>
/// <param name="Method">Method name (property accessors as get_X / set_X).</param>
internal sealed record MethodCounterName(string Namespace, string Type, string Method)
{
    /// <summary>Gets the name shown in reports, Type.Method.</summary>
    public string Display => Type + "." + Method;
}
