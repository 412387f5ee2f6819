namespace TimingMat.Cli.Tests;

/// <summary>A temporary folder for a test's files (scenarios, configurations, journals), deleted with the test.</summary>
internal sealed class TempFolder(string prefix) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>Gives the address of a loopback TCP port as the commands take it.</summary>
    public static string Tcp(int port) => "tcp://127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text)
    {
        var path = PathOf(name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
