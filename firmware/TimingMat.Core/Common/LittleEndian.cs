namespace TimingMat.Core.Common
{
    /// <summary>Little-endian integer fields in byte buffers, the byte order of every TimingMat record and message.</summary>
    /// <remarks>Written by hand because nanoFramework's BitConverter allocates a new array per value.</remarks>
    internal static class LittleEndian
    {
        /// <summary>Writes a 16-bit value.</summary>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="value">Value; the low 16 bits are written.</param>
        public static void WriteUInt16(byte[] buffer, int offset, int value)
        {
            buffer[offset] = (byte)value;
            buffer[offset + 1] = (byte)(value >> 8);
        }

        /// <summary>Writes a 32-bit value.</summary>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="value">Value.</param>
        public static void WriteInt32(byte[] buffer, int offset, int value)
        {
            buffer[offset] = (byte)value;
            buffer[offset + 1] = (byte)(value >> 8);
            buffer[offset + 2] = (byte)(value >> 16);
            buffer[offset + 3] = (byte)(value >> 24);
        }

        /// <summary>Writes an unsigned 32-bit value (a CRC).</summary>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="value">Value.</param>
        public static void WriteUInt32(byte[] buffer, int offset, uint value)
        {
            WriteInt32(buffer, offset, (int)value);
        }

        /// <summary>Writes a 64-bit value.</summary>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="value">Value.</param>
        public static void WriteInt64(byte[] buffer, int offset, long value)
        {
            WriteInt32(buffer, offset, (int)value);
            WriteInt32(buffer, offset + 4, (int)(value >> 32));
        }

        /// <summary>Reads an unsigned 16-bit value.</summary>
        /// <param name="buffer">Source.</param>
        /// <param name="offset">First byte.</param>
        /// <returns>The value, 0–65535.</returns>
        public static int ReadUInt16(byte[] buffer, int offset)
        {
            return buffer[offset] | (buffer[offset + 1] << 8);
        }

        /// <summary>Reads a signed 16-bit value.</summary>
        /// <param name="buffer">Source.</param>
        /// <param name="offset">First byte.</param>
        /// <returns>The value, −32768–32767.</returns>
        public static int ReadInt16(byte[] buffer, int offset)
        {
            int value = ReadUInt16(buffer, offset);
            return value >= 0x8000 ? value - 0x10000 : value;
        }

        /// <summary>Reads a signed 32-bit value.</summary>
        /// <param name="buffer">Source.</param>
        /// <param name="offset">First byte.</param>
        /// <returns>The value.</returns>
        public static int ReadInt32(byte[] buffer, int offset)
        {
            return buffer[offset] | (buffer[offset + 1] << 8) | (buffer[offset + 2] << 16) | (buffer[offset + 3] << 24);
        }

        /// <summary>Reads an unsigned 32-bit value (a CRC).</summary>
        /// <param name="buffer">Source.</param>
        /// <param name="offset">First byte.</param>
        /// <returns>The value.</returns>
        public static uint ReadUInt32(byte[] buffer, int offset)
        {
            return (uint)ReadInt32(buffer, offset);
        }

        /// <summary>Reads a signed 64-bit value.</summary>
        /// <param name="buffer">Source.</param>
        /// <param name="offset">First byte.</param>
        /// <returns>The value.</returns>
        public static long ReadInt64(byte[] buffer, int offset)
        {
            long low = (uint)ReadInt32(buffer, offset);
            long high = ReadInt32(buffer, offset + 4);
            return (high << 32) | low;
        }
    }
}
