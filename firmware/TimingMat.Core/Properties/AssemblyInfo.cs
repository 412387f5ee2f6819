using System.Reflection;
using System.Runtime.InteropServices;

// Shared by the desktop csproj (GenerateAssemblyInfo off) and the nanoFramework nfproj.
[assembly: AssemblyTitle("TimingMat.Core")]
[assembly: AssemblyDescription("Portable firmware logic of a TimingMat timing-mat unit: reader ingest, mat clock, crossings, journal, outbox.")]
[assembly: AssemblyCompany("TimingMat")]
[assembly: AssemblyProduct("TimingMat")]
[assembly: AssemblyCopyright("Copyright (c) 2026 TimingMat contributors")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("0.1.0.0")]
[assembly: AssemblyFileVersion("0.1.0.0")]
