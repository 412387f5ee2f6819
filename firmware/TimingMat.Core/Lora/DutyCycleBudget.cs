namespace TimingMat.Core.Lora
{
    /// <summary>
    /// Keeps a transmitter inside its sub-band's duty cycle: after a packet of airtime t the radio stays quiet for
    /// t · (1000 − d) / d, d in permille (the "band off time" LoRaWAN stacks use). Never more than the limit over
    /// any stretch, and a packet may go as soon as its turn comes, without a whole hour's bookkeeping.
    /// </summary>
    public sealed class DutyCycleBudget
    {
        private readonly int _permille;

        /// <summary>Initializes a new instance of the <see cref="DutyCycleBudget"/> class.</summary>
        /// <param name="permille">Allowed share of airtime, 1–1000 (10 = 1 %, 100 = 10 %, 1000 = no limit).</param>
        public DutyCycleBudget(int permille)
        {
            _permille = permille < 1 ? 1 : (permille > 1000 ? 1000 : permille);
        }

        /// <summary>Gets the allowed share of airtime in permille.</summary>
        public int Permille
        {
            get { return _permille; }
        }

        /// <summary>Gets the earliest local time (µs) the next packet may start.</summary>
        public long NextAllowedMicros { get; private set; }

        /// <summary>Gets the airtime spent so far in µs.</summary>
        public long AirtimeMicros { get; private set; }

        /// <summary>Gets the number of packets recorded.</summary>
        public long Packets { get; private set; }

        /// <summary>Tells whether a packet may start now.</summary>
        /// <param name="nowMicros">Local µs.</param>
        /// <returns><c>true</c> when the off time of the last packet is over.</returns>
        public bool MayTransmit(long nowMicros)
        {
            return nowMicros >= NextAllowedMicros;
        }

        /// <summary>Records a packet that ended at a time, and sets the off time it costs.</summary>
        /// <param name="endMicros">Local µs when the transmission ended.</param>
        /// <param name="airtimeMicros">Its time on air.</param>
        public void Record(long endMicros, long airtimeMicros)
        {
            AirtimeMicros += airtimeMicros;
            Packets++;
            long off = ((airtimeMicros * (1000 - _permille)) + _permille - 1) / _permille;
            long next = endMicros + off;
            if (next > NextAllowedMicros)
            {
                NextAllowedMicros = next;
            }
        }
    }
}
