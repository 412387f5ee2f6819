namespace TimingMat.Core.Lora
{
    /// <summary>
    /// Where a LoRa gateway (<see cref="LoRaGateway"/>) hands the passings of each checked packet: over MQTT to the
    /// collector (<see cref="LoRaMqttDelivery"/>, a gateway board) or straight into the collector's store (the desktop
    /// receiver in <c>timingmat collect --lora</c>). Once the passings are stored, the delivery calls
    /// <see cref="LoRaGateway.Answer"/> with the collector's contiguous mark, and only then does the unit get its ack.
    /// </summary>
    public interface ILoRaDelivery
    {
        /// <summary>Takes the passings of a packet whose tag checked.</summary>
        /// <param name="packet">The packet, rewound: read its passings with <see cref="LoRaPacketReader.Next"/>.</param>
        /// <param name="ticket">What to give <see cref="LoRaGateway.Answer"/> once they are stored.</param>
        /// <returns><c>false</c> when they cannot be passed on now (no broker): the unit gets no answer and sends them again.</returns>
        bool Deliver(LoRaPacketReader packet, int ticket);
    }
}
