namespace TimingMat.Tent.Race;

/// <summary>A race file that cannot be used; the message names the line and key, never a secret's value.</summary>
/// <param name="message">What is wrong.</param>
public sealed class RaceFileException(string message) : Exception(message);
