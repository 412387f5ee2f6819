using TimingMat.Cli.Infrastructure;
using TimingMat.Simulation.Scenarios;

namespace TimingMat.Cli.Commands;

/// <summary>The <c>--scenario FILE|half|full</c> argument of <c>simulate</c> and <c>hil</c>, with the CLI's errors.</summary>
internal static class ScenarioInput
{
    /// <summary>Loads a built-in scenario by name, or a scenario file.</summary>
    /// <param name="name">A built-in name or a path.</param>
    /// <returns>The validated scenario.</returns>
    /// <exception cref="CliException">Invalid (<see cref="ExitCode.ScenarioInvalid"/>), missing or unreadable.</exception>
    public static Scenario Load(string name)
    {
        try
        {
            if (ScenarioLoader.BuiltInNames.Contains(name))
            {
                return ScenarioLoader.LoadBuiltIn(name);
            }

            var text = System.Text.Encoding.UTF8.GetString(InputFiles.ReadAllBytes(name));
            return ScenarioLoader.Parse(text, name);
        }
        catch (ScenarioException e)
        {
            throw new CliException(ExitCode.ScenarioInvalid, e.Message);
        }
        catch (CliException e) when (e.Code == ExitCode.FileNotFound)
        {
            throw new CliException(ExitCode.FileNotFound, $"'{name}' is neither a scenario file nor a built-in scenario ({string.Join(", ", ScenarioLoader.BuiltInNames)}).");
        }
    }
}
