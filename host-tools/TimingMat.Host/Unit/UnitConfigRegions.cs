using TimingMat.Core.Reader.Mercury;
using TimingMat.Core.Reader.R2000;

namespace TimingMat.Host.Unit;

/// <summary>
/// The regions a unit configuration may name, with the code each reader protocol takes for it. A reader must transmit
/// only on the channels allowed where the race is, so the region is never defaulted.
/// </summary>
public static class UnitConfigRegions
{
    private static readonly Region[] s_regions =
    [
        new("na", "North America (902–928 MHz)", MercuryRegion.NorthAmerica, R2000Codec.RegionFcc, 7, 59),
        new("eu", "Europe (ETSI 865–868 MHz)", MercuryRegion.Europe, R2000Codec.RegionEtsi, 0, 6),
        new("cn", "China", MercuryRegion.China, R2000Codec.RegionChina, 43, 53),
        new("in", "India", MercuryRegion.India, null, 0, 0),
        new("jp", "Japan", MercuryRegion.Japan, null, 0, 0),
        new("kr", "Korea", MercuryRegion.Korea, null, 0, 0),
        new("au", "Australia", MercuryRegion.Australia, null, 0, 0),
        new("nz", "New Zealand", MercuryRegion.NewZealand, null, 0, 0),
        new("open", "no regulatory limits (lab only)", MercuryRegion.Open, null, 0, 0),
    ];

    /// <summary>Gets the region names, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. s_regions.Select(r => r.Name)];

    /// <summary>Finds a region by name (case-insensitive).</summary>
    /// <param name="name">The name, e.g. <c>eu</c>.</param>
    /// <returns>The region, or <c>null</c>.</returns>
    public static Region? Find(string name) => s_regions.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A region and its codes.</summary>
    /// <param name="Name">Name in the file.</param>
    /// <param name="Description">What it covers.</param>
    /// <param name="MercuryCode">The Mercury set-region code.</param>
    /// <param name="R2000Code">The 0xA0 region code, or null when R2000 modules have none for it.</param>
    /// <param name="R2000FirstChannel">First 0xA0 frequency index of the region.</param>
    /// <param name="R2000LastChannel">Last 0xA0 frequency index of the region.</param>
    public sealed record Region(string Name, string Description, int MercuryCode, int? R2000Code, int R2000FirstChannel, int R2000LastChannel);
}
