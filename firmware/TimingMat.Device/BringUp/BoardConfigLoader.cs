using System.IO;
using TimingMat.Core.Board;

namespace TimingMat.Device.BringUp
{
    /// <summary>Loads the board profile deployed to <c>I:\board.cfg</c> (nanoff --filedeployment), or the built-in default.</summary>
    public static class BoardConfigLoader
    {
        /// <summary>Where the deployed profile lives on the unit.</summary>
        public const string ProfilePath = "I:\\board.cfg";

        /// <summary>Loads the deployed profile, or the built-in esp32-devkitc profile when none is deployed.</summary>
        /// <param name="usedDefault">Set when no profile was deployed and the built-in one was used.</param>
        /// <returns>The board profile.</returns>
        /// <exception cref="BoardProfileException">A deployed profile is invalid. The unit must not guess its pins.</exception>
        public static BoardProfile Load(out bool usedDefault)
        {
            usedDefault = !File.Exists(ProfilePath);
            return BoardProfile.Parse(usedDefault ? DefaultBoardProfile.Text : File.ReadAllText(ProfilePath));
        }
    }
}
