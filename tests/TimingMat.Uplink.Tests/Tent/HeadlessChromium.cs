using System.Diagnostics;

namespace TimingMat.Uplink.Tests.Tent;

/// <summary>
/// Debian's Chromium, headless, on a page: its DOM once the page's scripts ran, or a screenshot. tools/requirements.sh
/// installs it; a missing browser fails the test saying so.
/// </summary>
internal static class HeadlessChromium
{
    private static readonly Lazy<string?> s_path = new(() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .SelectMany(dir => new[] { "chromium", "chromium-browser" }.Select(name => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists));

    /// <summary>Gets the DOM of a page after its scripts ran for a while.</summary>
    public static string DumpDom(Uri page) => Run(page, "--dump-dom");

    /// <summary>Takes a screenshot of a page at a window size.</summary>
    public static void Screenshot(Uri page, string file, int width, int height)
    {
        Run(page, $"--screenshot={file}", $"--window-size={width},{height}");
        if (!File.Exists(file) || new FileInfo(file).Length < 1000)
        {
            throw new InvalidOperationException($"chromium wrote no screenshot of {page} to {file}");
        }
    }

    private static string Run(Uri page, params string[] what)
    {
        var path = s_path.Value ?? throw new InvalidOperationException("chromium is not installed: run tools/requirements.sh's ensure_requirements, or sudo apt-get install chromium");
        var profile = Directory.CreateTempSubdirectory("tm-chromium-");
        try
        {
            // --timeout: the pages keep a Server-Sent Events stream open, so the page never goes idle; take the DOM or the
            // picture after 3 s of real time (virtual time would wait for the stream forever).
            var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars", "--timeout=3000", "--user-data-dir=" + profile.FullName }.Concat(what).Append(page.ToString()))
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish with {page}");
            }

            return process.ExitCode == 0 ? stdout.Result : throw new InvalidOperationException($"chromium exited {process.ExitCode} on {page}: {stderr.Result}");
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
