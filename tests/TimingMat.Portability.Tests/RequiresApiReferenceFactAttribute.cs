using TimingMat.Portability.Tests.Guard;
using Xunit;

namespace TimingMat.Portability.Tests;

/// <summary>
/// A fact that needs the nanoFramework API listings (shared/reference/nanoframework-api, or TIMINGMAT_NF_API_DIR) and,
/// with <see cref="AlsoNanoFrameworkRef"/>, the reference assemblies (shared/nanoframework-ref, or TIMINGMAT_NF_REF_DIR).
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

    /// <summary>Gets or sets a value indicating whether the test also needs shared/nanoframework-ref.</summary>
    public bool AlsoNanoFrameworkRef
    {
        get => false;
        init
        {
            if (value && Skip == null && RepoPaths.FindNanoFrameworkRef() == null)
            {
                Skip = RequiresNanoFrameworkRefFactAttribute.Reason;
            }
        }
    }
}

/// <summary>
/// A fact that needs nanoframework-ref (reference assemblies and nf-compile): <c>../shared/nanoframework-ref</c> beside
/// the repository, or TIMINGMAT_NF_REF_DIR. Skipped, with the reason, on a machine that does not have it.
/// </summary>
public sealed class RequiresNanoFrameworkRefFactAttribute : FactAttribute
{
    /// <summary>The skip reason.</summary>
    public const string Reason = "nanoframework-ref not found: set TIMINGMAT_NF_REF_DIR or place shared/nanoframework-ref beside the repository (<repo>/../shared/nanoframework-ref)";

    public RequiresNanoFrameworkRefFactAttribute()
    {
        if (RepoPaths.FindNanoFrameworkRef() == null)
        {
            Skip = Reason;
        }
    }
}

/// <summary>A theory that needs both the API listings and nanoframework-ref; skipped, with the reason, without either.</summary>
public sealed class RequiresListingsAndNanoFrameworkRefTheoryAttribute : TheoryAttribute
{
    public RequiresListingsAndNanoFrameworkRefTheoryAttribute()
    {
        Skip = RepoPaths.FindApiReference() == null ? "nanoFramework API listings not found: set TIMINGMAT_NF_API_DIR or place shared/reference/nanoframework-api beside the repository"
            : RepoPaths.FindNanoFrameworkRef() == null ? RequiresNanoFrameworkRefFactAttribute.Reason
            : null;
    }
}
