namespace TimingMat.Core.Unit
{
    /// <summary>Why a command was not carried out (<see cref="CommandCheckText"/> names each), or that it was.</summary>
    public enum CommandCheck
    {
        /// <summary>Authentic, new, understood: carried out (its part may still refuse it, see the reply).</summary>
        Accepted = 0,

        /// <summary>Not a signed command at all (no <c>tm1</c> word), e.g. an old <c>replay 1200</c> typed by hand.</summary>
        Unsigned = 1,

        /// <summary>Signed format, but not well-formed: too long, not ASCII, a bad number or tag.</summary>
        Malformed = 2,

        /// <summary>Addressed to another unit.</summary>
        WrongUnit = 3,

        /// <summary>This unit has no command key (<c>command.key</c>), so it refuses every command.</summary>
        NoKey = 4,

        /// <summary>The tag does not match: not signed with this unit's key, or altered on the way.</summary>
        BadTag = 5,

        /// <summary>The counter is not above the last accepted one: a replayed (or reordered) command.</summary>
        Replayed = 6,

        /// <summary>Authentic, but the verb or its arguments are not understood (the counter is used up).</summary>
        Invalid = 7,
    }
}
