namespace TimingMat.Collector;

/// <summary>What storing one passing did.</summary>
public enum StoreResult
{
    /// <summary>A new (unit, seq): stored.</summary>
    Inserted,

    /// <summary>The same passing was stored before (a re-send): nothing changed.</summary>
    Duplicate,

    /// <summary>
    /// A different passing already holds this (unit, seq), e.g. from a unit whose journal was wiped: the new one is
    /// kept in the conflicts table, never dropped.
    /// </summary>
    Conflict,

    /// <summary>A passing stored from LoRa was replaced by its full record.</summary>
    Upgraded,
}
