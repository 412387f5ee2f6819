namespace TimingMat.Core.Outbox
{
    /// <summary>
    /// The collector's request to send stored passings again, on the unit's ack topic (firmware/docs/wire-formats.md
    /// §5): ASCII <c>replay FROM</c> or <c>replay FROM TO</c>. Only the collector may publish on a unit's ack topic (the
    /// broker's ACL), and a replay only re-sends what the journal holds, so it needs no signature.
    /// </summary>
    public static class ReplayRequest
    {
        /// <summary>Value of a replay's end when it has none: everything durable.</summary>
        public const long OpenEnd = -1;

        /// <summary>Writes a request.</summary>
        /// <param name="from">First sequence number.</param>
        /// <param name="to">Last sequence number, or <see cref="OpenEnd"/>.</param>
        /// <returns>The payload.</returns>
        public static byte[] Write(long from, long to)
        {
            string text = "replay " + from.ToString() + (to == OpenEnd ? string.Empty : " " + to.ToString());
            byte[] payload = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                payload[i] = (byte)text[i];
            }

            return payload;
        }

        /// <summary>Reads a request.</summary>
        /// <param name="payload">A message of the ack topic.</param>
        /// <param name="from">First sequence number, ≥ 1.</param>
        /// <param name="to">Last sequence number (≥ <paramref name="from"/>), or <see cref="OpenEnd"/>.</param>
        /// <returns><c>false</c> when the message is not a replay request (e.g. a binary collector ack).</returns>
        public static bool TryRead(byte[] payload, out long from, out long to)
        {
            from = 0;
            to = OpenEnd;
            int length = payload == null ? 0 : payload.Length;
            if (length < 8 || length > 64 || payload[0] != 'r' || payload[1] != 'e' || payload[2] != 'p' || payload[3] != 'l'
                || payload[4] != 'a' || payload[5] != 'y' || payload[6] != ' ')
            {
                return false;
            }

            int position = 7;
            from = Number(payload, ref position);
            if (position < length)
            {
                if (payload[position] != ' ')
                {
                    return false;
                }

                position++;
                to = Number(payload, ref position);
                if (to < from)
                {
                    return false;
                }
            }

            return from >= 1 && position == length;
        }

        private static long Number(byte[] payload, ref int position)
        {
            int start = position;
            long value = 0;
            while (position < payload.Length && payload[position] >= '0' && payload[position] <= '9' && position - start < 18)
            {
                value = (value * 10) + (payload[position] - '0');
                position++;
            }

            return position == start ? -1 : value;
        }
    }
}
