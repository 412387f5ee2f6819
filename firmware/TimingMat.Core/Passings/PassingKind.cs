namespace TimingMat.Core.Passings
{
    /// <summary>What a <see cref="Passing"/> record stands for.</summary>
    public enum PassingKind
    {
        /// <summary>A chip crossed the mat.</summary>
        Crossing = 0,

        /// <summary>Marker: the gun fired (<see cref="Passing.MarkerValue"/> is the race or wave number, 0 for all).</summary>
        GunStart = 1,

        /// <summary>Marker: a wave started (<see cref="Passing.MarkerValue"/> is the wave number).</summary>
        WaveStart = 2,

        /// <summary>Marker: a check-in corral opened (<see cref="Passing.MarkerValue"/> is the corral number).</summary>
        CorralOpen = 3,
    }
}
