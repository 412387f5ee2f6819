namespace TimingMat.Core.Outbox
{
    /// <summary>Where <see cref="UnitUplink"/> hands the messages of the unit's command topic (the unit application checks and carries them out).</summary>
    public interface IUnitCommandSink
    {
        /// <summary>Handles one message of <c>&lt;prefix&gt;/&lt;unit&gt;/cmd</c>; called from the unit's loop.</summary>
        /// <param name="payload">The message body, as received.</param>
        /// <param name="receivedMicros">The unit's µs clock when the link received it, or <see cref="Hardware.MqttMessage.NotStamped"/>.</param>
        void OnCommand(byte[] payload, long receivedMicros);
    }
}
