using System.IO;
using TimingMat.Core.Unit;

namespace TimingMat.Device.BringUp
{
    /// <summary>Loads the unit configuration that <c>timingmat provision</c> wrote to <c>I:\unit.cfg</c> (docs/unit-config.md).</summary>
    public static class UnitConfigLoader
    {
        /// <summary>Where the unit configuration lives: internal flash, next to <c>board.cfg</c>, whatever drive holds the journal.</summary>
        public const string ConfigPath = "I:\\unit.cfg";

        /// <summary>Loads and validates the configuration.</summary>
        /// <returns>The configuration, or <c>null</c> when the board has not been provisioned yet.</returns>
        /// <exception cref="ConfigFileException">The file is invalid: the message names the line, key, value and what was expected.</exception>
        public static UnitConfig Load()
        {
            return File.Exists(ConfigPath) ? UnitConfig.Parse(File.ReadAllText(ConfigPath)) : null;
        }

        /// <summary>Reads a file the configuration names (the broker's CA certificate), from the same drive.</summary>
        /// <param name="name">The file's name, as <c>mqtt.ca_file</c> gives it.</param>
        /// <returns>Its text.</returns>
        public static string ReadCompanion(string name)
        {
            return File.ReadAllText("I:\\" + name);
        }
    }
}
