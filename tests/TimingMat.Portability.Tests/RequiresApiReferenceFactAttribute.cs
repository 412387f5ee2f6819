using TimingMat.Portability.Tests.Guard;
using Xunit;

namespace TimingMat.Portability.Tests;

/// <summary>
/// A fact that needs the nanoFramework API listings (shared/reference/nanoframework-api, or TIMINGMAT_NF_API_DIR).
/// Skipped, with the reason, on a machine that does not have them.
/// </summary>
public sealed class RequiresApiReferenceFactAttribute : FactAttribute
{
    public RequiresApiReferenceFactAttribute()
    {
        if (RepoPaths.FindApiReference() == null)
        {
            Skip = "nanoFramework API listings not found: set TIMINGMAT_NF_API_DIR or place shared/reference/nanoframework-api beside the repository";
        }
    }
}
