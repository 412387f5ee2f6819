using System.Globalization;
using TimingMat.Simulation.Scenarios;

namespace TimingMat.Simulation.Tests.Engine;

/// <summary>A small race that runs in seconds: 5 km, check-in, start, a split, finish, every kind of fault.</summary>
internal static class FunRun
{
    public const string AllFaults = """
        [
          { "kind": "uplink_outage", "mat": "2.5k", "at": "09:12", "for_s": 300 },
          { "kind": "broker_restart", "at": "09:16", "for_s": 20 },
          { "kind": "power_cut", "mat": "2.5k", "at": "09:13:30", "for_s": 20 },
          { "kind": "gps_loss", "mat": "finish", "at": "09:05", "for_s": 900 },
          { "kind": "reader_silence", "mat": "finish", "at": "09:24", "for_s": 6 }
        ]
        """;

    public static Scenario Load(int runners = 300, string faults = AllFaults, double twoChips = 0.02, int seed = 7, string lora = "") =>
        ScenarioLoader.Parse(Text(runners, faults, twoChips, seed, lora), "fun-run.json");

    /// <param name="lora">Empty for the default radios, or a `"lora": {…},` member (with its trailing comma).</param>
    public static string Text(int runners, string faults, double twoChips, int seed, string lora = "") => $$"""
        {
          "name": "fun-run",
          "date": "2026-06-14",
          "utc_offset": "+01:00",
          "seed": {{seed}},
          "waves": [ { "number": 1, "gun": "09:00" } ],
          "corrals": [ { "name": "A", "wave": 1, "share": 1 } ],
          "course": {
            "distance_km": 5,
            "mats": [
              { "name": "checkin", "role": "checkin", "corrals": ["A"], "opens": "08:40", "cutoff": "08:58", "reader": { "type": "m6e", "reads_per_s": 190 } },
              { "name": "start", "role": "start", "km": 0, "cutoff": "09:20", "reader": { "type": "r2000", "reads_per_s": 430 } },
              { "name": "2.5k", "role": "split", "km": 2.5, "cutoff": "09:50", "reader": { "type": "r2000", "reads_per_s": 430 } },
              { "name": "finish", "role": "finish", "km": 5, "cutoff": "09:58", "reader": { "type": "m6e", "reads_per_s": 190 } }
            ]
          },
          "runners": {
            "count": {{runners}},
            "pace_s_per_km": { "median": 330, "spread": 0.15, "fastest": 200, "slowest": 540 },
            "start_rate_per_s": 15,
            "two_chips_share": {{twoChips.ToString(CultureInfo.InvariantCulture)}},
            "dropout_share": 0.02,
            "skip_mat_share": 0.01
          },
          {{lora}}
          "faults": {{faults}}
        }
        """;
}
