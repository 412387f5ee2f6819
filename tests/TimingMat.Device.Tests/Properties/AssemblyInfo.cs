using System.Reflection;
using System.Runtime.InteropServices;

// The nanoFramework test launcher loads the test assembly by the name NFUnitTest.
[assembly: AssemblyTitle("NFUnitTest")]
[assembly: AssemblyDescription("On-target tests of the TimingMat device adapters (PPS latency, UART loopback, flash across reboots).")]
[assembly: AssemblyCompany("TimingMat")]
[assembly: AssemblyProduct("TimingMat")]
[assembly: AssemblyCopyright("Copyright (c) 2026 TimingMat contributors")]
[assembly: ComVisible(false)]
[assembly: AssemblyVersion("0.1.0.0")]
[assembly: AssemblyFileVersion("0.1.0.0")]
