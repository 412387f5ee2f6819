namespace TimingMat.Cli.Infrastructure;

/// <summary>Reads input files with the CLI's errors: a missing file is <see cref="ExitCode.FileNotFound"/>, an unreadable one <see cref="ExitCode.FileUnreadable"/>.</summary>
public static class InputFiles
{
    /// <summary>Reads a whole file.</summary>
    /// <param name="path">Path given by the user.</param>
    /// <returns>The file's bytes.</returns>
    /// <exception cref="CliException">The file is missing, a directory, or unreadable.</exception>
    public static byte[] ReadAllBytes(string path)
    {
        Check(path);
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCode.FileUnreadable, $"cannot read '{path}': {e.Message}");
        }
    }

    /// <summary>Opens a file for streaming reads (large captures).</summary>
    /// <param name="path">Path given by the user.</param>
    /// <returns>An open read-only stream.</returns>
    /// <exception cref="CliException">The file is missing, a directory, or unreadable.</exception>
    public static Stream OpenRead(string path)
    {
        Check(path);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCode.FileUnreadable, $"cannot read '{path}': {e.Message}");
        }
    }

    private static void Check(string path)
    {
        if (Directory.Exists(path))
        {
            throw new CliException(ExitCode.FileUnreadable, $"'{path}' is a folder, not a file.", "give the path of a file inside it.");
        }

        if (!File.Exists(path))
        {
            throw new CliException(ExitCode.FileNotFound, $"'{path}' does not exist.");
        }
    }
}
