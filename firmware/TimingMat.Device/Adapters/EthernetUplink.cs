using System.Net.NetworkInformation;
using System.Threading;
using nanoFramework.Networking;

namespace TimingMat.Device.Adapters
{
    /// <summary>The wired link of an Ethernet board (WT32-ETH01: LAN8720 PHY), through nanoFramework's <c>NetworkHelper</c>.</summary>
    /// <remarks>
    /// The firmware image configures the PHY and its pins (target ESP32_WT32_ETH01 carries the LAN8720; board.cfg's
    /// <c>ethernet.phy</c> says which one the image must have), so this only waits for DHCP. A cable pulled and put
    /// back renews the lease natively; when the address does not come back, the helper is reset and set up again.
    /// </remarks>
    public sealed class EthernetUplink : NetworkUplink
    {
        private readonly string _phy;

        /// <summary>Initializes a new instance of the <see cref="EthernetUplink"/> class. Call <see cref="NetworkUplink.Start"/> to connect.</summary>
        /// <param name="phy">The board's PHY, for messages (<c>lan8720</c>).</param>
        public EthernetUplink(string phy)
        {
            _phy = phy;
        }

        /// <inheritdoc />
        protected override string Connect(int timeoutMs)
        {
            if (NetworkHelper.Status != NetworkHelperStatus.None)
            {
                NetworkHelper.Reset();
            }

            CancellationTokenSource timeout = new CancellationTokenSource(timeoutMs);
            if (NetworkHelper.SetupAndConnectNetwork(timeout.Token, false))
            {
                return null;
            }

            return "Ethernet (" + _phy + ") has no address: check the cable, the switch port's link LED and the DHCP server"
                + (NetworkHelper.HelperException != null ? " (" + NetworkHelper.HelperException.Message + ")" : string.Empty);
        }

        /// <inheritdoc />
        protected override bool HasAddress()
        {
            return InterfaceAddress.HasAddress(NetworkInterfaceType.Ethernet);
        }
    }
}
