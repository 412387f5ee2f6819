namespace TimingMat.Portability.Tests.Guard;

/// <summary>Checks that every allow-list entry is a verbatim line of the public API listing its section names.</summary>
public static class AllowListVerifier
{
    /// <summary>Lists entries that are not in the reference listings (empty when all are).</summary>
    /// <param name="list">The allow-list.</param>
    /// <param name="referenceDir">Folder of listing files (shared/reference/nanoframework-api).</param>
    /// <param name="fromPackage">
    /// For a section whose listing file is not in <paramref name="referenceDir"/>: the listing rendered from the
    /// package's own reference assembly (<see cref="ReferenceListing.FromKit"/>), or <c>null</c> when there is none.
    /// </param>
    public static IReadOnlyList<string> Verify(AllowList list, string referenceDir, Func<AllowSection, ApiListing?>? fromPackage = null)
    {
        var problems = new List<string>();
        var listings = new Dictionary<string, ApiListing>(StringComparer.Ordinal);
        var where = RepoPaths.Relative(list.Path);
        foreach (var type in list.Types)
        {
            var file = Path.Combine(referenceDir, type.Section.ListingFile);
            if (!listings.TryGetValue(file, out var listing))
            {
                listing = File.Exists(file) ? ApiListing.Load(file) : fromPackage?.Invoke(type.Section);
                if (listing == null)
                {
                    problems.Add($"{where}:{type.Section.Line}: no listing '{type.Section.ListingFile}' (nor a reference assembly of {type.Section.PackageId} to render it from)");
                    continue;
                }

                listings[file] = listing;
            }

            if (!listing.HasType(type.Header))
            {
                problems.Add($"{where}:{type.Line}: '{type.Header}' is not a type header of {type.Section.ListingFile}");
                continue;
            }

            problems.AddRange(type.Members.Where(m => !listing.HasMember(type.Header, m.Normalized))
                .Select(m => $"{where}:{m.Line}: '{m.Normalized}' is not a member of {type.Header} in {type.Section.ListingFile}"));
        }

        return problems;
    }
}
