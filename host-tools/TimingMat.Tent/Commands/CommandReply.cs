using System.Text.Json;
using TimingMat.Tent.Status;

namespace TimingMat.Tent.Commands;

/// <summary>A unit's answer to a signed command (wire-formats §6).</summary>
/// <param name="Unit">The unit that answered.</param>
/// <param name="Counter">The command's counter as the unit read it, or null.</param>
/// <param name="Verb">The verb, or null.</param>
/// <param name="Result"><c>accepted</c>, <c>refused</c> (the part said no) or <c>rejected</c> (not carried out).</param>
/// <param name="Reason">Why not, or null when accepted.</param>
/// <param name="Clock">The clock report of a <c>clock</c> command, or null.</param>
/// <param name="Exchange">The clock exchange of a <c>clock</c> command, or null.</param>
/// <param name="Json">The reply as the unit sent it.</param>
public sealed record CommandReply(int Unit, long? Counter, string? Verb, string Result, string? Reason, ClockReport? Clock, ClockExchange? Exchange, string Json)
{
    /// <summary>Gets a value indicating whether the unit carried the command out.</summary>
    public bool IsAccepted => Result == "accepted";

    /// <summary>Reads a reply.</summary>
    /// <param name="payload">The message body.</param>
    /// <param name="hostSent">The tent's send time, UTC µs (for a clock exchange).</param>
    /// <param name="hostReceived">The tent's receive time, UTC µs.</param>
    /// <returns>The reply, or <c>null</c> when the body is not one.</returns>
    public static CommandReply? Parse(byte[] payload, long hostSent, long hostReceived)
    {
        using var document = JsonRead.Document(payload);
        if (document == null || JsonRead.Long(document.RootElement, "unit") is not { } unit || JsonRead.String(document.RootElement, "result") is not { } result)
        {
            return null;
        }

        var root = document.RootElement;
        return new CommandReply(
            (int)unit,
            JsonRead.Long(root, "counter"),
            JsonRead.String(root, "verb"),
            result,
            JsonRead.String(root, "reason"),
            JsonRead.Object(root, "clock") is { } clock ? ClockReport.From(clock) : null,
            ClockExchange.From(root, hostSent, hostReceived),
            System.Text.Encoding.UTF8.GetString(payload));
    }
}
