using TimingMat.Portability.Tests.Guard;
using Xunit;

namespace TimingMat.Portability.Tests;

/// <summary>
/// Proves the guard fails: each snippet holds one thing nanoFramework 1.x cannot build or run, on the line marked
/// <c>/*!*/</c>, and is checked as if it were a core (or device) source file. The violation must name that line.
/// </summary>
public class InjectedViolationTests
{
    public static TheoryData<string, string> CoreSnippets => new()
    {
        { "generic-declaration", "class Box/*!*/<T> { public T Value; }" },
        { "generic-declaration", "class C { void M/*!*/<T>(T x) { } }" },
        { "generic-use", "class C { /*!*/System.Collections.Generic.List<int> items; }" },
        { "generic-use", "class C { /*!*/System.Action<int> callback; }" },
        { "generic-use", "class C { /*!*/System.EventHandler<System.EventArgs> changed; }" },
        { "generic-use", "class Box<T> { } class C { /*!*/Box<int> box; }" },
        { "generic-use", "class C { static int Id<T>(T x) { return 0; } int M() { return /*!*/Id(1); } }" },
        { "nullable", "class C { /*!*/int? maybe; }" },
        { "tuple", "class C { /*!*/(int, int) Pair() { return (1, 2); } }" },
        { "tuple", "class C { void M(int a, int b) { /*!*/(a, b) = (b, a); } }" },
        { "record", "/*!*/record Passing(int Seq);" },
        { "yield", "class C { System.Collections.IEnumerable M() { /*!*/yield return 1; } }" },
        { "async", "class C { /*!*/async void M() { } }" },
        { "async", "/*!*/using System.Threading.Tasks;\nclass C { }" },
        { "api", "class C { /*!*/System.Threading.Tasks.Task pending; }" },
        { "linq", "/*!*/using System.Linq;\nclass C { }" },
        { "linq", "class C { object M(int[] a) { return /*!*/from x in a select x; } }" },
        { "dynamic", "class C { /*!*/dynamic anything; }" },
        { "decimal", "class C { /*!*/decimal money; }" },
        { "decimal", "class C { object m = /*!*/1.5m; }" },
        { "multidimensional-array", "class C { int/*!*/[,] grid; }" },
        { "default-interface-member", "interface I { /*!*/void M() { } }" },
        { "stackalloc", "class C { unsafe void M() { byte* p = /*!*/stackalloc byte[4]; } }" },
        { "generic-use", "class C { void M() { /*!*/System.Span<byte> s = default; } }" },
        { "span", "/*!*/ref struct Window { }" },
        { "api", "class C { string M(string s) { return /*!*/s.Replace(\"a\", \"b\"); } }" },
        { "api", "class C { string M(string[] parts) { return /*!*/string.Join(\",\", parts); } }" },
        { "api", "class C { /*!*/System.Text.StringBuilder text; }" },
        { "api", "class C { long M(long a) { return /*!*/System.Math.Abs(a); } }" },
        { "api", "class C { System.DateTime M() { return System.DateTime/*!*/.Now; } }" },
        { "enum-name", "enum State { Locked } class C { string M(State s) { return /*!*/s.ToString(); } }" },
        { "enum-name", "enum State { Locked } class C { string M(State s) { return $\"clock {/*!*/s}\"; } }" },
        { "enum-name", "enum State { Locked } class C { string M(State s) { return /*!*/\"clock \" + s; } }" },
        { "numeric-format", "class C { string M(int v) { return /*!*/v.ToString(\"0.00\"); } }" },
    };

    [Theory]
    [MemberData(nameof(CoreSnippets))]
    public void CoreSnippet_IsRejected_OnTheMarkedLine(string rule, string snippet)
    {
        var report = PortabilityChecker.Check("Injected", [new SourceFile("Injected.cs", snippet)], AllowList.Load(Path.Combine(RepoPaths.Core, "nanoframework.allowlist")));

        var expectedLine = MarkedLine(snippet);
        Assert.True(report.Violations.Any(v => v.Rule == rule && v.File == "Injected.cs" && v.Line == expectedLine),
            $"expected a '{rule}' violation at Injected.cs:{expectedLine}, got:\n{report.Describe()}");
    }

    [Fact]
    public void DeviceSnippet_SubclassingSealedPlatformClass_IsRejected()
    {
        const string snippet = "class FakePort : /*!*/System.IO.Ports.SerialPort { FakePort() : base(\"COM2\") { } }";
        var deviceList = AllowList.Load(Path.Combine(RepoPaths.Device, "nanoframework.allowlist"));

        var report = PortabilityChecker.Check("Injected", [new SourceFile("Injected.cs", snippet.Replace("/*!*/", string.Empty))], deviceList);

        Assert.Contains(report.Violations, v => v.Rule == "platform-subclass" && v.Line == 1 && v.Message.Contains("SerialPort"));
    }

    [Fact]
    public void ValidSnippet_UsingOnlyAllowListedApi_HasNoViolation()
    {
        const string snippet = """
            namespace Ok
            {
                public enum Mode { Test, Timing }

                public sealed class Counter
                {
                    private readonly int[] _counts = new int[4];

                    public string Describe(Mode mode, string name)
                    {
                        int total = 0;
                        for (int i = 0; i < _counts.Length; i++) { total += _counts[i]; }
                        string word = mode == Mode.Test ? "test" : "timing";
                        return name.Trim().ToLower() + " " + word + " " + total.ToString();
                    }
                }
            }
            """;

        var report = PortabilityChecker.Check("Valid", [new SourceFile("Valid.cs", snippet)], AllowList.Load(Path.Combine(RepoPaths.Core, "nanoframework.allowlist")));

        Assert.True(report.Violations.Count == 0, report.Describe());
    }

    [Fact]
    public void ViolationInARealCoreFile_NamesThatFileAndLine()
    {
        // The real core sources plus one bad line appended to a copy of a real file: the guard must name it.
        var sources = RepoPaths.SourceFiles(RepoPaths.Core).Select(SourceFile.Read).ToList();
        var target = sources.Single(s => s.DisplayPath.EndsWith("Board/BoardProfile.cs", StringComparison.Ordinal));
        var lines = target.Text.Split('\n').ToList();
        var insertAt = lines.FindIndex(l => l.Contains("private BoardProfile()", StringComparison.Ordinal));
        lines.Insert(insertAt, "        private System.Collections.Generic.Dictionary<string, int> _byKey;");
        sources[sources.IndexOf(target)] = target with { Text = string.Join('\n', lines) };

        var report = PortabilityChecker.Check("TimingMat.Core", sources, AllowList.Load(Path.Combine(RepoPaths.Core, "nanoframework.allowlist")));

        Assert.Contains(report.Violations, v => v.File == target.DisplayPath && v.Line == insertAt + 1 && v.Rule == "generic-use");
    }

    private static int MarkedLine(string snippet)
    {
        var lines = snippet.Split('\n');
        return Array.FindIndex(lines, l => l.Contains("/*!*/", StringComparison.Ordinal)) + 1;
    }
}
