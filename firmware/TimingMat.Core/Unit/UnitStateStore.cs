using System.IO;
using TimingMat.Core.Common;
using TimingMat.Core.Hardware;
using TimingMat.Core.Journal;
using TimingMat.Core.RaceDay;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// What a unit keeps on flash besides its journal, across reboots: the last accepted command counter (so a replayed
    /// command stays refused after a reboot), the boot record (boot and crash counts, why the next boot happens), the
    /// clock's frequency estimate (so a rebooted unit relocks fast) and race-day changes made by command (mode and
    /// armed window, for the configuration they were made under).
    /// </summary>
    /// <remarks>
    /// <para>One 64-byte record, little-endian, CRC-32 at the end, written whole into one of two files in turn
    /// (<c>unitst0.dat</c>, <c>unitst1.dat</c>) and flushed: the other file keeps the previous record, so a power cut
    /// mid-write loses at most the newest change. At start the valid record with the higher generation counts.</para>
    /// <code>
    ///  0  4 magic "TMUS"       4 1 version 1            5 1 pending boot reason (255 none)   6 1 flags (1 running, 2 frequency, 4 race day)
    ///  7  1 race-day mode      8 8 command counter      16 4 boot count   20 4 crash count    24 4 frequency, ppb (i32)
    /// 28  4 config checksum   32 8 window opens, UTC µs  40 8 cut-off, UTC µs   48 4 generation   52 8 reserved   60 4 CRC-32 of 0-59
    /// </code>
    /// </remarks>
    public sealed class UnitStateStore
    {
        /// <summary>Length of a record.</summary>
        public const int RecordBytes = 64;

        private const int NoReason = 255;
        private const int FlagRunning = 1;
        private const int FlagFrequency = 2;
        private const int FlagRaceDay = 4;
        private static readonly string[] s_names = new string[] { "unitst0.dat", "unitst1.dat" };

        private readonly IFileStore _store;
        private readonly byte[] _record = new byte[RecordBytes];
        private int _current = 1;
        private uint _generation;

        /// <summary>Initializes a new instance of the <see cref="UnitStateStore"/> class; call <see cref="Load"/> next.</summary>
        /// <param name="store">The unit's storage (the journal's store: the file names do not clash).</param>
        public UnitStateStore(IFileStore store)
        {
            _store = store;
            PendingReason = -1;
        }

        /// <summary>Gets or sets the highest command counter accepted.</summary>
        public long CommandCounter { get; set; }

        /// <summary>Gets or sets how many times the unit has booted.</summary>
        public int BootCount { get; set; }

        /// <summary>Gets or sets how many boots were crashes (<see cref="BootReasonText.IsCrash"/>).</summary>
        public int CrashCount { get; set; }

        /// <summary>Gets or sets why the next boot happens as a <see cref="BootReason"/> value, or -1 when not known in advance.</summary>
        public int PendingReason { get; set; }

        /// <summary>Gets or sets a value indicating whether the unit is running (set at start, cleared by a clean stop).</summary>
        public bool Running { get; set; }

        /// <summary>Gets or sets a value indicating whether <see cref="FrequencyPpb"/> holds a measured frequency.</summary>
        public bool HasFrequency { get; set; }

        /// <summary>Gets or sets the crystal's frequency error the clock last measured, ppb.</summary>
        public int FrequencyPpb { get; set; }

        /// <summary>Gets or sets a value indicating whether a command changed the race-day state (<see cref="Mode"/>, window).</summary>
        public bool HasRaceDay { get; set; }

        /// <summary>Gets or sets the checksum of the configuration the race-day change was made under.</summary>
        public uint ConfigChecksum { get; set; }

        /// <summary>Gets or sets the race-day mode set by command.</summary>
        public RaceDayMode Mode { get; set; }

        /// <summary>Gets or sets the window's opening set by command, UTC µs.</summary>
        public long OpensUtcMicros { get; set; }

        /// <summary>Gets or sets the cut-off set by command, UTC µs.</summary>
        public long CutOffUtcMicros { get; set; }

        /// <summary>Gets the number of saves that failed (storage fault).</summary>
        public int SaveFailures { get; private set; }

        /// <summary>Reads both files and takes the newest valid record.</summary>
        /// <returns><c>true</c> when a record was found; <c>false</c> for a new or wiped unit (everything zero).</returns>
        public bool Load()
        {
            bool found = false;
            uint best = 0;
            for (int file = 0; file < 2; file++)
            {
                if (_store.Read(s_names[file], 0, _record, 0, RecordBytes) != RecordBytes || !IsValid())
                {
                    continue;
                }

                uint generation = LittleEndian.ReadUInt32(_record, 48);
                if (!found || generation > best)
                {
                    found = true;
                    best = generation;
                    _current = file;
                }
            }

            if (!found)
            {
                return false;
            }

            _store.Read(s_names[_current], 0, _record, 0, RecordBytes);
            _generation = best;
            int pending = _record[5];
            PendingReason = pending == NoReason ? -1 : pending;
            int flags = _record[6];
            Running = (flags & FlagRunning) != 0;
            HasFrequency = (flags & FlagFrequency) != 0;
            HasRaceDay = (flags & FlagRaceDay) != 0;
            Mode = _record[7] == 1 ? RaceDayMode.Timing : RaceDayMode.Test;
            CommandCounter = LittleEndian.ReadInt64(_record, 8);
            BootCount = LittleEndian.ReadInt32(_record, 16);
            CrashCount = LittleEndian.ReadInt32(_record, 20);
            FrequencyPpb = LittleEndian.ReadInt32(_record, 24);
            ConfigChecksum = LittleEndian.ReadUInt32(_record, 28);
            OpensUtcMicros = LittleEndian.ReadInt64(_record, 32);
            CutOffUtcMicros = LittleEndian.ReadInt64(_record, 40);
            return true;
        }

        /// <summary>Writes the record into the other file and flushes it.</summary>
        /// <returns><c>false</c> when the storage refused (counted in <see cref="SaveFailures"/>); the previous record stays.</returns>
        public bool Save()
        {
            for (int i = 0; i < RecordBytes; i++)
            {
                _record[i] = 0;
            }

            _record[0] = (byte)'T';
            _record[1] = (byte)'M';
            _record[2] = (byte)'U';
            _record[3] = (byte)'S';
            _record[4] = 1;
            _record[5] = (byte)(PendingReason < 0 ? NoReason : PendingReason);
            _record[6] = (byte)((Running ? FlagRunning : 0) | (HasFrequency ? FlagFrequency : 0) | (HasRaceDay ? FlagRaceDay : 0));
            _record[7] = (byte)(Mode == RaceDayMode.Timing ? 1 : 0);
            LittleEndian.WriteInt64(_record, 8, CommandCounter);
            LittleEndian.WriteInt32(_record, 16, BootCount);
            LittleEndian.WriteInt32(_record, 20, CrashCount);
            LittleEndian.WriteInt32(_record, 24, FrequencyPpb);
            LittleEndian.WriteUInt32(_record, 28, ConfigChecksum);
            LittleEndian.WriteInt64(_record, 32, OpensUtcMicros);
            LittleEndian.WriteInt64(_record, 40, CutOffUtcMicros);
            LittleEndian.WriteUInt32(_record, 48, _generation + 1);
            LittleEndian.WriteUInt32(_record, 60, Crc32.Compute(_record, 0, 60));
            int next = 1 - _current;
            try
            {
                _store.Delete(s_names[next]);
                _store.Append(s_names[next], _record, 0, RecordBytes);
                _store.Flush(s_names[next]);
            }
            catch (IOException)
            {
                SaveFailures++;
                return false;
            }

            _current = next;
            _generation++;
            return true;
        }

        private bool IsValid()
        {
            return _record[0] == 'T' && _record[1] == 'M' && _record[2] == 'U' && _record[3] == 'S' && _record[4] == 1
                && Crc32.Compute(_record, 0, 60) == LittleEndian.ReadUInt32(_record, 60);
        }
    }
}
