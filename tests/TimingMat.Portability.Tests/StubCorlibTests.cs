using TimingMat.Portability.Tests.Guard;
using Xunit;

namespace TimingMat.Portability.Tests;

/// <summary>The stub generated from an allow-list binds what the list allows, the way the device's overloads bind, and nothing else.</summary>
public class StubCorlibTests
{
    private const string Essentials = """
        @ mscorlib.txt nanoFramework.CoreLibrary
        class System.Object
        class System.ValueType
        class System.Enum : ValueType
        struct System.Void
        struct System.Boolean
        struct System.Int32
        struct System.IntPtr
        class System.Array
        class System.Delegate
        class System.MulticastDelegate : Delegate
        class System.Attribute
        """;

    [Fact]
    public void ParamsAnnotation_LetsFormatTakeLooseArguments()
    {
        const string source = "class C { string M(int v) { return string.Format(\"{0}\", v); } }";

        var withParams = Check(Essentials + "\nclass System.String\n    static String Format(String format, params Object[] args)", source);
        var withoutParams = Check(Essentials + "\nclass System.String\n    static String Format(String format, Object[] args)", source);

        Assert.Empty(withParams.Violations);
        Assert.Contains(withoutParams.Violations, v => v.Rule == "api" && v.Message.Contains("CS1503", StringComparison.Ordinal));
    }

    [Fact]
    public void OutAnnotation_MakesByRefParameterAnOutParameter()
    {
        const string source = "class C { bool M(string s) { int v; return int.TryParse(s, out v); } }";

        var withOut = Check(Essentials + "\nclass System.String\nstruct System.Int32\n    static Boolean TryParse(String s, out Int32& result)", source);
        var asRef = Check(Essentials + "\nclass System.String\nstruct System.Int32\n    static Boolean TryParse(String s, Int32& result)", source);

        Assert.Empty(withOut.Violations);
        Assert.Contains(asRef.Violations, v => v.Rule == "api");
    }

    [Fact]
    public void ItemProperty_BecomesAnIndexer_AndRespectsAccessors()
    {
        const string read = "class C { object M(System.Collections.ArrayList a) { return a[0]; } }";
        const string write = "class C { void M(System.Collections.ArrayList a) { a[0] = null; } }";
        var list = Essentials + "\nclass System.String\nclass System.Collections.ArrayList\n    Object Item { get; }";

        Assert.Empty(Check(list, read).Violations);
        Assert.Contains(Check(list, write).Violations, v => v.Rule == "api" && v.Message.Contains("CS0200", StringComparison.Ordinal));
    }

    [Fact]
    public void NestedTypesEnumsAndDelegates_AreGenerated()
    {
        const string list = Essentials + """

            class System.String
            class System.EventArgs
            class nanoFramework.Hardware.Esp32.NativeMemory
                static Void GetMemoryInfo(MemoryType memType, out UInt32& totalSize, out UInt32& totalFreeSize, out UInt32& largestFreeBlock)
            enum nanoFramework.Hardware.Esp32.NativeMemory+MemoryType
                All=0, Internal=1, SpiRam=2
            struct System.UInt32
            delegate System.Device.Gpio.PinValueChangedEventHandler : MulticastDelegate
                Void Invoke(Object sender, EventArgs e)
            """;
        const string source = """
            using nanoFramework.Hardware.Esp32;
            class C
            {
                System.Device.Gpio.PinValueChangedEventHandler handler;
                uint M() { uint total, free, largest; NativeMemory.GetMemoryInfo(NativeMemory.MemoryType.Internal, out total, out free, out largest); return free; }
            }
            """;

        var report = Check(list, source);

        Assert.True(report.Violations.Count == 0, report.Describe());
    }

    [Fact]
    public void GenericEntry_IsRejectedAsAllowListProblem()
    {
        var report = Check(Essentials + "\nclass System.String\ndelegate System.Action`1 : MulticastDelegate\n    Void Invoke(T obj)", "class C { }");

        Assert.Contains(report.Violations, v => v.Rule == "allowlist" && v.Message.Contains("generic", StringComparison.Ordinal));
    }

    [Fact]
    public void MemberUsingATypeMissingFromTheList_IsAnAllowListProblem()
    {
        var report = Check(Essentials + "\nclass System.String\nclass System.IO.Ports.SerialPort\n    Parity Parity { get; set; }", "class C { }");

        Assert.Contains(report.Violations, v => v.Rule == "allowlist" && v.Message.Contains("'Parity'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("    String ToString()", "a member line must follow a type header")]
    [InlineData("class System.Object", "a type header must follow")]
    [InlineData("@ mscorlib.txt", "a section is")]
    [InlineData("@ mscorlib.txt nanoFramework.CoreLibrary\nclassy System.Object", "expected a type header")]
    public void MalformedAllowList_FailsWithTheLineNumber(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => AllowList.Parse(Path.Combine(RepoPaths.Root, "test.allowlist"), ("# header\n" + text).Split('\n')));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("test.allowlist:" + (text.Split('\n').Length + 1), error.Message, StringComparison.Ordinal);
    }

    private static PortabilityReport Check(string allowList, string source) =>
        PortabilityChecker.Check("Snippet", [new SourceFile("Snippet.cs", source)], AllowList.Parse(Path.Combine(RepoPaths.Root, "snippet.allowlist"), allowList.Split('\n')));
}
