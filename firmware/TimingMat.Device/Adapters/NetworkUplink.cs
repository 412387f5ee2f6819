using System;
using System.Threading;

namespace TimingMat.Device.Adapters
{
    /// <summary>
    /// Brings the board's IP link up and keeps it up on a thread of its own, so a slow DHCP, an absent access point or
    /// an unplugged cable never holds the timing loop: the loop only reads <see cref="IsUp"/>.
    /// </summary>
    /// <remarks>
    /// After a failed attempt the thread waits 1 s, then twice as long each time up to 60 s (a race-site access point
    /// that reboots comes back within a minute; hammering it with association requests slows that down). While the
    /// link is up it checks it every 2 s. The thread runs below normal priority: nanoCLR shares one RTOS task among
    /// managed threads, and the reader loop must keep its share.
    /// </remarks>
    public abstract class NetworkUplink
    {
        private const int FirstBackoffMs = 1000;
        private const int LongestBackoffMs = 60000;
        private const int CheckPeriodMs = 2000;
        private const int ConnectTimeoutMs = 20000;

        private readonly Thread _thread;
        private readonly object _sync = new object();

        // nanoFramework has no 'volatile' (no IsVolatile in its mscorlib): the uplink thread and the timing loop share
        // these under the lock.
        private bool _up;
        private bool _stopping;
        private string _lastProblem;
        private int _connections;
        private int _failures;

        /// <summary>Initializes a new instance of the <see cref="NetworkUplink"/> class. Call <see cref="Start"/> to connect.</summary>
        protected NetworkUplink()
        {
            _thread = new Thread(Run);
            _thread.Priority = ThreadPriority.BelowNormal;
        }

        /// <summary>Gets a value indicating whether the link has an address now (set by the uplink thread).</summary>
        public bool IsUp
        {
            get
            {
                lock (_sync)
                {
                    return _up;
                }
            }
        }

        /// <summary>Gets how many times the link came up (1 after the first connect; more means it dropped and came back).</summary>
        public int Connections
        {
            get
            {
                lock (_sync)
                {
                    return _connections;
                }
            }
        }

        /// <summary>Gets how many connect attempts failed.</summary>
        public int Failures
        {
            get
            {
                lock (_sync)
                {
                    return _failures;
                }
            }
        }

        /// <summary>Gets why the last attempt failed, in words for the status and console; <c>null</c> after a success.</summary>
        public string LastProblem
        {
            get
            {
                lock (_sync)
                {
                    return _lastProblem;
                }
            }
        }

        /// <summary>Starts the uplink thread. Returns at once.</summary>
        public void Start()
        {
            _thread.Start();
        }

        /// <summary>Asks the uplink thread to stop after its current step.</summary>
        public void Stop()
        {
            lock (_sync)
            {
                _stopping = true;
            }
        }

        /// <summary>Tries once to bring the link up; it may block up to <paramref name="timeoutMs"/> (it runs on the uplink thread).</summary>
        /// <param name="timeoutMs">How long the attempt may take.</param>
        /// <returns><c>null</c> when the link is up; otherwise why not.</returns>
        protected abstract string Connect(int timeoutMs);

        /// <summary>Tells whether the link still has an address.</summary>
        /// <returns><c>true</c> while the link is usable.</returns>
        protected abstract bool HasAddress();

        private void Run()
        {
            int backoff = FirstBackoffMs;
            while (!IsStopping())
            {
                if (IsUp && HasAddress())
                {
                    Thread.Sleep(CheckPeriodMs);
                    continue;
                }

                Record(false, null, false);
                string problem;
                try
                {
                    problem = Connect(ConnectTimeoutMs);
                }
                catch (Exception e)
                {
                    // A helper that throws (no adapter, driver error) is a failed attempt, never a dead uplink thread.
                    problem = e.Message;
                }

                if (problem == null && HasAddress())
                {
                    Record(true, null, false);
                    backoff = FirstBackoffMs;
                    continue;
                }

                Record(false, problem == null ? "connected without an address" : problem, true);
                Thread.Sleep(backoff);
                backoff = backoff >= LongestBackoffMs / 2 ? LongestBackoffMs : backoff * 2;
            }
        }

        private bool IsStopping()
        {
            lock (_sync)
            {
                return _stopping;
            }
        }

        private void Record(bool up, string problem, bool failed)
        {
            lock (_sync)
            {
                if (up && !_up)
                {
                    _connections++;
                }

                _up = up;
                if (up || failed)
                {
                    _lastProblem = problem;
                }

                if (failed)
                {
                    _failures++;
                }
            }
        }
    }
}
