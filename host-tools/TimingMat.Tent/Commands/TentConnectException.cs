namespace TimingMat.Tent.Commands;

/// <summary>The tent could not open its session: the broker is unreachable, refused the tent's account, or its ACL refused the replies.</summary>
/// <param name="message">What happened.</param>
public sealed class TentConnectException(string message) : Exception(message);
