using System.IO;
using TimingMat.Core.Hardware;
using TimingMat.Core.Lora;
using TimingMat.Core.Unit;

namespace TimingMat.Device.BringUp
{
    /// <summary>
    /// Loads the unit configuration that <c>timingmat provision</c> wrote through the unit console, and the files beside
    /// it (docs/unit-config.md): <c>unit.cfg</c>, <c>chips.cfg</c>, a gateway's <c>keys.cfg</c> and the broker's CA
    /// certificate, all in the unit's folder on internal flash (<see cref="Folder"/>), whatever drive holds the journal.
    /// </summary>
    public static class UnitConfigLoader
    {
        /// <summary>The drive the configuration lives on: internal flash, next to <c>board.cfg</c>.</summary>
        public const string Drive = "I:\\";

        /// <summary>The folder the configuration store keeps its files in (<c>FlashFileStore</c>'s folder on <see cref="Drive"/>).</summary>
        public const string Folder = "I:\\timingmat\\";

        /// <summary>The race's chip list beside <c>unit.cfg</c>.</summary>
        public const string ChipsFile = "chips.cfg";

        /// <summary>A LoRa gateway's unit keys beside <c>unit.cfg</c>.</summary>
        public const string KeysFile = "keys.cfg";

        /// <summary>Loads and validates the configuration (recovering one a power cut interrupted) and the files beside it.</summary>
        /// <param name="store">The configuration's storage (the console writes to the same).</param>
        /// <returns>The configuration, or <c>null</c> when the board has not been provisioned yet.</returns>
        /// <exception cref="ConfigFileException">A file is invalid: the message names the line, key, value and what was expected.</exception>
        /// <exception cref="IOException">A gateway has no <c>keys.cfg</c>.</exception>
        public static UnitConfig Load(IFileStore store)
        {
            string text = new UnitConfigStore(store).Read();
            if (text == null)
            {
                return null;
            }

            UnitConfig config = UnitConfig.Parse(text);
            string chips = ReadCompanion(ChipsFile);
            if (chips != null)
            {
                config.LoraChips = LoRaChipList.Parse(chips);
            }

            if (config.IsLoraGateway)
            {
                string keys = ReadCompanion(KeysFile);
                if (keys == null)
                {
                    throw new IOException("lora.role = gateway needs " + Folder + KeysFile + " ('unit id = command.key' a line, docs/unit-config.md)");
                }

                config.LoraKeys = LoRaKeyList.Parse(keys);
            }

            return config;
        }

        /// <summary>Reads a file beside <c>unit.cfg</c> (the broker's CA certificate, the chip list, a gateway's keys).</summary>
        /// <param name="name">The file's name, e.g. as <c>mqtt.ca_file</c> gives it.</param>
        /// <returns>Its text, or <c>null</c> when it is not there.</returns>
        public static string ReadCompanion(string name)
        {
            string path = Folder + name;
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
    }
}
