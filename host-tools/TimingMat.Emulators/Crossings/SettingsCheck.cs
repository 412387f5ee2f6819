namespace TimingMat.Emulators.Crossings;

/// <summary>Validation shared by the crossing model's settings records.</summary>
internal static class SettingsCheck
{
    /// <summary>Throws when a condition on a setting does not hold.</summary>
    /// <param name="ok">The condition.</param>
    /// <param name="message">What is wrong, naming the setting and its range.</param>
    /// <exception cref="ArgumentException"><paramref name="ok"/> is false.</exception>
    public static void Require(bool ok, string message)
    {
        if (!ok)
        {
            throw new ArgumentException(message);
        }
    }
}
