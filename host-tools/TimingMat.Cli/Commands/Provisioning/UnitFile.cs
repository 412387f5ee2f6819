using TimingMat.Cli.Infrastructure;
using TimingMat.Core.Common;
using TimingMat.Core.Journal;
using TimingMat.Core.Unit;

namespace TimingMat.Cli.Commands.Provisioning;

/// <summary>
/// A file provisioning puts on a unit beside its <c>unit.cfg</c> with the console's <c>file</c> command: the CA
/// certificate its <c>mqtt.ca_file</c> names (read from the race file's folder), and what <c>--file</c> gives (a LoRa
/// gateway's <c>keys.cfg</c>, the chip list <c>chips.cfg</c>).
/// </summary>
/// <param name="Name">The file's name on the unit.</param>
/// <param name="Source">Where it was read, for messages.</param>
/// <param name="Bytes">Its bytes.</param>
internal sealed record UnitFile(string Name, string Source, byte[] Bytes)
{
    /// <summary>Gets the file's CRC-32 as the console shows it.</summary>
    public string Crc => UnitFileTransfer.Hex(Crc32.Compute(Bytes, 0, Bytes.Length));

    /// <summary>Reads the files a unit is to receive, before any board is touched.</summary>
    /// <param name="race">The race file.</param>
    /// <param name="unit">The unit's name in it.</param>
    /// <param name="racePath">The race file's path: a CA file is looked for beside it.</param>
    /// <param name="extra">Paths given with <c>--file</c>.</param>
    /// <returns>The files, the CA certificate first.</returns>
    /// <exception cref="CliException">A name the unit would refuse (12), a file missing (10) or unreadable (11), or too large (12).</exception>
    public static IReadOnlyList<UnitFile> For(RaceFile race, string unit, string racePath, IReadOnlyList<string> extra)
    {
        var files = new List<UnitFile>();
        var ca = race.ConfigOf(unit).MqttCaFile;
        if (ca != null)
        {
            if (!UnitFileTransfer.IsDeliverable(ca))
            {
                throw new CliException(ExitCode.InvalidInput, $"unit {unit}: mqtt.ca_file = '{ca}' cannot be put on the unit.", "name the CA file by its name alone, lower case, ending .pem, .crt or .der (e.g. race-ca.pem), and keep it beside the race file.");
            }

            var folder = Path.GetDirectoryName(Path.GetFullPath(racePath)) ?? ".";
            files.Add(Read(Path.Combine(folder, ca), ca, $"unit {unit}'s mqtt.ca_file"));
        }

        foreach (var path in extra)
        {
            var name = Path.GetFileName(path);
            if (!UnitFileTransfer.IsDeliverable(name))
            {
                throw new CliException(ExitCode.InvalidInput, $"--file {path}: a unit takes chips.cfg, keys.cfg or a certificate (.pem, .crt, .der), not '{name}'.", "give the gateway's keys.cfg or chips.cfg (docs/wire-formats.md section 9.4) by those names.");
            }

            if (files.Any(f => f.Name == name))
            {
                throw new CliException(ExitCode.InvalidInput, $"--file {path}: {name} is given twice.", "give each file once.");
            }

            files.Add(Read(path, name, "--file"));
        }

        return files;
    }

    private static UnitFile Read(string path, string name, string what)
    {
        if (!File.Exists(path))
        {
            throw new CliException(ExitCode.FileNotFound, $"{what}: {path} does not exist.", "put the file there (a CA file beside the race file), or correct the name.");
        }

        var bytes = InputFiles.ReadAllBytes(path);
        if (bytes.Length > UnitFileTransfer.MaxFileBytes)
        {
            throw new CliException(ExitCode.InvalidInput, $"{what}: {path} has {bytes.Length:N0} bytes; a unit takes files of at most {UnitFileTransfer.MaxFileBytes:N0}.", "shorten the file (a chip list holds only the chips of this race).");
        }

        return new UnitFile(name, path, bytes);
    }
}
