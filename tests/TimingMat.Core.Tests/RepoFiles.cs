namespace TimingMat.Core.Tests;

/// <summary>Finds files of the repository from the test output folder.</summary>
internal static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TimingMat.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("TimingMat.sln not found above " + AppContext.BaseDirectory);
    }
}
