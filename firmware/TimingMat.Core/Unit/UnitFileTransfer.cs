using System;
using System.IO;
using TimingMat.Core.Common;
using TimingMat.Core.Hardware;
using TimingMat.Core.Journal;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// The console's <c>file</c> command (firmware/docs/console.md): puts the files a unit reads beside its
    /// <c>unit.cfg</c> — the broker's CA certificate (<c>mqtt.ca_file</c>), a LoRa gateway's <c>keys.cfg</c>, the chip
    /// list <c>chips.cfg</c> — on its storage over the same console that provisions it, so a TLS unit or a gateway needs no
    /// cable either. The bytes come as hex lines into <c>NAME.part</c>, checked against the size and CRC-32 announced
    /// first, and only a whole, matching file replaces <c>NAME</c>.
    /// </summary>
    /// <remarks>
    /// Each answer is the console's final line (<c>OK …</c> or <c>ERR code message</c>). The file is streamed to storage
    /// as it comes (a 35,000-chip list does not fit the heap), its CRC-32 kept as it grows; nothing replaces the old file
    /// until <c>file end</c> has checked both. A transfer that is abandoned (another <c>put</c>, <c>abort</c>, or a unit
    /// restart) leaves only a <c>.part</c> file, deleted by the next <c>put</c> of that name.
    /// </remarks>
    public sealed class UnitFileTransfer
    {
        /// <summary>The largest file taken, bytes (a 35,000-chip <c>chips.cfg</c> is about 0.9 MB).</summary>
        public const int MaxFileBytes = 1048576;

        /// <summary>The most file bytes one <c>file data</c> line carries (as hex, within the console's line).</summary>
        public const int MaxChunkBytes = 120;

        private const string PartSuffix = ".part";
        private const int CopyBytes = 512;

        private readonly IFileStore _store;
        private readonly byte[] _chunk = new byte[MaxChunkBytes];
        private string _name;
        private long _size;
        private uint _crc;
        private long _received;
        private uint _runningCrc;

        /// <summary>Initializes a new instance of the <see cref="UnitFileTransfer"/> class.</summary>
        /// <param name="store">The storage holding <c>unit.cfg</c>; the files go beside it.</param>
        public UnitFileTransfer(IFileStore store)
        {
            _store = store;
        }

        /// <summary>Tells whether a file may be put on the unit: <c>chips.cfg</c>, <c>keys.cfg</c>, or a certificate
        /// (<c>.pem</c>, <c>.crt</c>, <c>.der</c>) named by 1–32 lower-case letters, digits, '.', '-' or '_'.</summary>
        /// <param name="name">The file's name.</param>
        /// <returns><c>true</c> when it may.</returns>
        public static bool IsDeliverable(string name)
        {
            if (name == "chips.cfg" || name == "keys.cfg")
            {
                return true;
            }

            if (name.Length < 5 || name.Length > 32 || name[0] == '.')
            {
                return false;
            }

            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_'))
                {
                    return false;
                }
            }

            return name.EndsWith(".pem") || name.EndsWith(".crt") || name.EndsWith(".der");
        }

        /// <summary>Starts putting a file: <c>file put NAME BYTES CRC32</c>.</summary>
        /// <param name="name">The file's name.</param>
        /// <param name="size">Its length, bytes.</param>
        /// <param name="crc">Its CRC-32 (IEEE, as <see cref="Crc32"/>).</param>
        /// <returns>The final line.</returns>
        public string Put(string name, long size, uint crc)
        {
            Abort();
            if (!IsDeliverable(name))
            {
                return "ERR invalid-name '" + name + "': a unit takes chips.cfg, keys.cfg or a certificate (.pem, .crt, .der; 1-32 lower-case letters, digits, '.', '-', '_')";
            }

            if (size < 0 || size > MaxFileBytes)
            {
                return "ERR too-large " + size.ToString() + " bytes: a file holds at most " + MaxFileBytes.ToString() + " bytes";
            }

            try
            {
                _store.Delete(name + PartSuffix);
                if (_store.GetFreeBytes() < size + 65536)
                {
                    return "ERR storage " + size.ToString() + " bytes do not fit: " + _store.GetFreeBytes().ToString() + " bytes free, 64 KB kept for the journal";
                }
            }
            catch (IOException)
            {
                return "ERR storage the unit's storage refused the file";
            }

            _name = name;
            _size = size;
            _crc = crc;
            _received = 0;
            _runningCrc = Crc32.Initial;
            return "OK ready " + name + " " + size.ToString();
        }

        /// <summary>Takes one line of the file: <c>file data HEX</c>, at most <see cref="MaxChunkBytes"/> bytes.</summary>
        /// <param name="hex">The bytes as hex digits.</param>
        /// <returns>The final line (<c>OK</c> with the bytes received so far).</returns>
        public string Data(string hex)
        {
            if (_name == null)
            {
                return "ERR no-file no file is being put: send file put NAME BYTES CRC32 first";
            }

            int count = hex.Length / 2;
            if (hex.Length % 2 != 0 || count == 0 || count > MaxChunkBytes)
            {
                return "ERR invalid-value a data line holds 1-" + MaxChunkBytes.ToString() + " bytes as hex digits";
            }

            for (int i = 0; i < count; i++)
            {
                int high = ValueText.HexDigit(hex[2 * i]);
                int low = ValueText.HexDigit(hex[(2 * i) + 1]);
                if (high < 0 || low < 0)
                {
                    return "ERR invalid-value a data line holds hex digits only";
                }

                _chunk[i] = (byte)((high << 4) | low);
            }

            if (_received + count > _size)
            {
                Abort();
                return "ERR too-large more bytes than announced: the file is dropped, put it again";
            }

            try
            {
                _store.Append(_name + PartSuffix, _chunk, 0, count);
            }
            catch (IOException)
            {
                Abort();
                return "ERR storage the unit's storage refused the file: the file is dropped";
            }

            _runningCrc = Crc32.Update(_runningCrc, _chunk, 0, count);
            _received += count;
            return "OK " + _received.ToString();
        }

        /// <summary>Finishes the file: <c>file end</c>. A whole file whose CRC-32 matches replaces the old one.</summary>
        /// <returns>The final line (<c>OK file NAME BYTES crc=XXXXXXXX</c>).</returns>
        public string End()
        {
            if (_name == null)
            {
                return "ERR no-file no file is being put";
            }

            string name = _name;
            uint received = Crc32.Finish(_runningCrc);
            if (_received != _size || received != _crc)
            {
                string problem = _received != _size
                    ? _received.ToString() + " of " + _size.ToString() + " bytes arrived"
                    : "CRC-32 " + Hex(received) + " does not match " + Hex(_crc);
                Abort();
                return "ERR corrupt " + name + ": " + problem + "; the old file is kept, put it again";
            }

            try
            {
                string part = name + PartSuffix;
                _store.Flush(part);
                _store.Delete(name);
                byte[] buffer = new byte[CopyBytes];
                for (long position = 0; position < _size; position += CopyBytes)
                {
                    int read = _store.Read(part, position, buffer, 0, CopyBytes);
                    _store.Append(name, buffer, 0, read);
                }

                _store.Flush(name);
                _store.Delete(part);
            }
            catch (IOException)
            {
                _name = null;
                return "ERR storage the unit's storage failed writing " + name + ": put it again";
            }

            _name = null;
            return "OK file " + name + " " + _size.ToString() + " crc=" + Hex(_crc);
        }

        /// <summary>Drops the file being put, if any: <c>file abort</c>.</summary>
        /// <returns>The final line.</returns>
        public string Abort()
        {
            if (_name != null)
            {
                try
                {
                    _store.Delete(_name + PartSuffix);
                }
                catch (IOException)
                {
                    // The next put of that name deletes it again.
                }

                _name = null;
            }

            return "OK";
        }

        /// <summary>Reports a file on the unit: <c>file check NAME</c>, its length and CRC-32, so a host re-sends only what differs.</summary>
        /// <param name="name">The file's name.</param>
        /// <returns>The final line (<c>OK file NAME BYTES crc=XXXXXXXX</c> or <c>OK missing NAME</c>).</returns>
        public string Check(string name)
        {
            if (!IsDeliverable(name))
            {
                return "ERR invalid-name '" + name + "': a unit takes chips.cfg, keys.cfg or a certificate (.pem, .crt, .der)";
            }

            try
            {
                if (!_store.Exists(name))
                {
                    return "OK missing " + name;
                }

                long length = _store.GetLength(name);
                byte[] buffer = new byte[CopyBytes];
                uint crc = Crc32.Initial;
                for (long position = 0; position < length; position += CopyBytes)
                {
                    int read = _store.Read(name, position, buffer, 0, CopyBytes);
                    crc = Crc32.Update(crc, buffer, 0, read);
                }

                return "OK file " + name + " " + length.ToString() + " crc=" + Hex(Crc32.Finish(crc));
            }
            catch (IOException)
            {
                return "ERR storage the unit's storage cannot read " + name;
            }
        }

        /// <summary>Answers one <c>file</c> command line: <c>put</c>, <c>data</c>, <c>end</c>, <c>abort</c> or <c>check</c>.</summary>
        /// <param name="rest">What follows <c>file</c> on the line.</param>
        /// <returns>The console's final line, <c>OK …</c> or <c>ERR code message</c>.</returns>
        internal string Command(string rest)
        {
            int space = UnitConsole.FirstBlank(rest);
            string action = (space < 0 ? rest : rest.Substring(0, space)).ToLower();
            string args = space < 0 ? string.Empty : rest.Substring(space + 1).Trim();
            if (action == "data")
            {
                return Data(args);
            }

            if (action == "put")
            {
                string[] parts = args.Split(' ');
                int size;
                uint crc;
                if (parts.Length != 3 || !int.TryParse(parts[1], out size) || parts[2].Length != 8 || !TryHex(parts[2], out crc))
                {
                    return "ERR usage file put NAME BYTES CRC32 (the CRC-32 as 8 hex digits)";
                }

                return Put(parts[0], size, crc);
            }

            if (action == "end")
            {
                return End();
            }

            if (action == "abort")
            {
                return Abort();
            }

            if (action == "check")
            {
                return Check(args);
            }

            return "ERR usage file put NAME BYTES CRC32 | file data HEX | file end | file abort | file check NAME";
        }

        /// <summary>Formats a CRC-32 as the console shows it: 8 lower-case hex digits.</summary>
        /// <param name="crc">The CRC.</param>
        /// <returns>The digits.</returns>
        public static string Hex(uint crc)
        {
            const string Digits = "0123456789abcdef";
            char[] text = new char[8];
            for (int i = 7; i >= 0; i--)
            {
                text[i] = Digits[(int)(crc & 0xF)];
                crc >>= 4;
            }

            return new string(text, 0, 8);
        }

        private static bool TryHex(string text, out uint value)
        {
            value = 0;
            for (int i = 0; i < text.Length; i++)
            {
                int digit = ValueText.HexDigit(text[i]);
                if (digit < 0)
                {
                    return false;
                }

                value = (value << 4) | (uint)digit;
            }

            return true;
        }
    }
}
