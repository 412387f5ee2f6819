using System.Net.NetworkInformation;

namespace TimingMat.Device.Adapters
{
    /// <summary>Whether a network interface of a kind has an IPv4 address: the one test both uplinks use for "up".</summary>
    internal static class InterfaceAddress
    {
        /// <summary>Tells whether an interface of the kind has an address other than 0.0.0.0.</summary>
        /// <param name="kind">Wireless80211 or Ethernet.</param>
        /// <returns><c>true</c> when it has one.</returns>
        internal static bool HasAddress(NetworkInterfaceType kind)
        {
            NetworkInterface[] interfaces = NetworkInterface.GetAllNetworkInterfaces();
            for (int i = 0; i < interfaces.Length; i++)
            {
                if (interfaces[i].NetworkInterfaceType == kind)
                {
                    string address = interfaces[i].IPv4Address;
                    if (address != null && address.Length > 0 && address != "0.0.0.0")
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
