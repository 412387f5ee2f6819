using System.Reflection;
using System.Runtime.InteropServices;

[assembly: AssemblyTitle("TimingMat.Device")]
[assembly: AssemblyDescription("TimingMat mat-unit application for ESP32 boards on .NET nanoFramework.")]
[assembly: AssemblyCompany("TimingMat")]
[assembly: AssemblyProduct("TimingMat")]
[assembly: AssemblyCopyright("Copyright (c) 2026 TimingMat contributors")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("0.1.0.0")]
[assembly: AssemblyFileVersion("0.1.0.0")]
