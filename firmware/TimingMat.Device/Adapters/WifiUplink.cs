using System.Device.Wifi;
using System.Net.NetworkInformation;
using System.Threading;
using nanoFramework.Networking;

namespace TimingMat.Device.Adapters
{
    /// <summary>The Wi-Fi station link to the race-site access point, through nanoFramework's <c>WifiNetworkHelper</c>.</summary>
    /// <remarks>
    /// <c>WifiNetworkHelper.ConnectDhcp</c> blocks until the station has an address or its token expires, which is why
    /// it runs on <see cref="NetworkUplink"/>'s thread. Automatic reconnection lets the ESP32 rejoin by itself after
    /// a short drop; this class steps in when that does not happen within the check period.
    /// </remarks>
    public sealed class WifiUplink : NetworkUplink
    {
        private readonly string _ssid;
        private readonly string _password;

        /// <summary>Initializes a new instance of the <see cref="WifiUplink"/> class. Call <see cref="NetworkUplink.Start"/> to connect.</summary>
        /// <param name="ssid">The access point's SSID.</param>
        /// <param name="password">Its WPA2 passphrase (never printed).</param>
        public WifiUplink(string ssid, string password)
        {
            _ssid = ssid;
            _password = password;
        }

        /// <inheritdoc />
        protected override string Connect(int timeoutMs)
        {
            CancellationTokenSource timeout = new CancellationTokenSource(timeoutMs);
            if (WifiNetworkHelper.ConnectDhcp(_ssid, _password, WifiReconnectionKind.Automatic, false, 0, timeout.Token))
            {
                return null;
            }

            // The helper keeps why it gave up: a wrong password and an access point out of range need different fixes.
            return "Wi-Fi '" + _ssid + "' not joined (" + StatusText(WifiNetworkHelper.Status) + (WifiNetworkHelper.HelperException != null ? ": " + WifiNetworkHelper.HelperException.Message : string.Empty) + ")";
        }

        /// <inheritdoc />
        protected override bool HasAddress()
        {
            return InterfaceAddress.HasAddress(NetworkInterfaceType.Wireless80211);
        }

        private static string StatusText(NetworkHelperStatus status)
        {
            switch (status)
            {
                case NetworkHelperStatus.TokenExpiredWaitingIPAddress:
                    return "no address within the timeout: check the SSID, the password and the distance to the access point";
                case NetworkHelperStatus.ErrorConnetingToWiFiWhileScanning:
                    return "the access point did not answer";
                case NetworkHelperStatus.FailedNoNetworkInterface:
                    return "no Wi-Fi interface in this firmware";
                case NetworkHelperStatus.ExceptionOccurred:
                    return "error";
                default:
                    return "status " + ((int)status).ToString();
            }
        }
    }
}
