using TimingMat.Cli;
using TimingMat.Cli.Infrastructure;

return CliApp.Run(args, new CommandOutput(Console.Out, Console.Error));
