using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TimingMat.Mqtt;
using TimingMat.Mqtt.Broker;
using TimingMat.Mqtt.Packets;
using TimingMat.Uplink.Tests.Support;
using Xunit;

namespace TimingMat.Uplink.Tests.Mqtt;

/// <summary>The desktop MQTT client against a real Mosquitto started on a free loopback port.</summary>
public sealed class MqttClientBrokerTests : IDisposable
{
    private readonly MosquittoProcess _broker;
    private readonly List<IDisposable> _cleanup = [];

    public MqttClientBrokerTests()
    {
        _broker = new MosquittoProcess();
        _broker.Start();
    }

    [Fact]
    public void Qos1Publish_ReachesTheSubscriber_AndThePubackArrives()
    {
        var (subscriber, received) = Subscriber("sub", "race/+/passings");
        var publisher = Client("pub");
        var acked = new ConcurrentQueue<int>();
        publisher.PublishAcknowledged += (_, e) => acked.Enqueue(e.PacketId);
        Assert.True(publisher.Connect());

        var id = publisher.Publish("race/7/passings", "batch"u8, 1, false);

        Assert.True(id > 0);
        var message = Take(received);
        Assert.Equal(("race/7/passings", "batch", 1), (message.Topic, Encoding.ASCII.GetString(message.Payload), message.Qos));
        Eventually(() => acked.Contains(id), "PUBACK");
        Assert.Equal(0, publisher.InFlightCount);
        _ = subscriber;
    }

    [Fact]
    public void RetainedMessage_GoesToALaterSubscriber()
    {
        var publisher = Client("pub");
        Assert.True(publisher.Connect());
        publisher.Publish("race/7/status", "{\"state\":\"online\"}"u8, 1, retain: true);
        Eventually(() => publisher.InFlightCount == 0, "PUBACK");

        var (_, received) = Subscriber("late", "race/7/status");

        var message = Take(received);
        Assert.True(message.Retain);
        Assert.Equal("{\"state\":\"online\"}", Encoding.ASCII.GetString(message.Payload));
    }

    [Fact]
    public void Will_IsPublishedWhenTheClientVanishes_ButNotOnACleanDisconnect()
    {
        var (_, received) = Subscriber("watcher", "race/+/status");
        var polite = Client("polite", will: new MqttWill("race/1/status", "offline"u8.ToArray(), 1, true));
        var vanishing = Client("vanishing", will: new MqttWill("race/2/status", "offline"u8.ToArray(), 1, true));
        Assert.True(polite.Connect());
        Assert.True(vanishing.Connect());

        polite.Disconnect();
        vanishing.Abort();

        var message = Take(received);
        Assert.Equal("race/2/status", message.Topic);
        Assert.Equal("offline", Encoding.ASCII.GetString(message.Payload));
        Assert.False(received.TryTake(out _, 500));
    }

    [Fact]
    public void PersistentSession_QueuesQos1MessagesWhileTheSubscriberIsAway()
    {
        var (subscriber, received) = Subscriber("collector", "race/+/passings");
        subscriber.Disconnect();
        var publisher = Client("pub");
        Assert.True(publisher.Connect());
        for (var i = 0; i < 5; i++)
        {
            publisher.Publish("race/7/passings", [(byte)i], 1, false);
        }

        Eventually(() => publisher.InFlightCount == 0, "PUBACKs");

        Assert.True(subscriber.Connect());

        Assert.True(subscriber.SessionPresent);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4 }, Enumerable.Range(0, 5).Select(_ => Take(received).Payload[0]));
    }

    [Fact]
    public void Credentials_AreChecked()
    {
        using var secured = new MosquittoProcess(new MosquittoSettings { Users = { ["timer"] = "s3cret" } });
        secured.Start();
        var good = Client("good", broker: secured.Address, configure: o => (o.Username, o.Password) = ("timer", "s3cret"));
        var bad = Client("bad", broker: secured.Address, configure: o => (o.Username, o.Password) = ("timer", "wrong"));
        var anonymous = Client("anonymous", broker: secured.Address);

        Assert.True(good.Connect());
        Assert.False(bad.Connect());
        Assert.False(anonymous.Connect());
        Assert.Equal(MqttConnectReturnCode.NotAuthorized, bad.LastRefusal);
        Assert.Contains("refused", bad.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void UnacknowledgedQos1_IsSentAgainWithDup_AfterReconnecting()
    {
        using var proxy = new TcpCutProxy(_broker.Port);
        var (_, received) = Subscriber("sub", "race/#");
        var publisher = Client("pub", broker: proxy.Address);
        Assert.True(publisher.Connect());
        proxy.Blackhole();

        var id = publisher.Publish("race/7/passings", "lost?"u8, 1, false);
        Thread.Sleep(200);
        Assert.Equal(1, publisher.InFlightCount);
        proxy.Sever();
        Eventually(() => !publisher.IsConnected, "connection loss seen");
        proxy.Restore();
        Assert.True(publisher.Connect());

        Assert.Equal(1, publisher.Resent);
        Assert.Equal("lost?", Encoding.ASCII.GetString(Take(received).Payload));
        Eventually(() => publisher.InFlightCount == 0, $"PUBACK of the re-sent packet {id}");
    }

    [Fact]
    public void KeepAlive_DetectsASilentDeadLink()
    {
        using var proxy = new TcpCutProxy(_broker.Port);
        var client = Client("ka", broker: proxy.Address, configure: o => o.KeepAliveSeconds = 2);
        Assert.True(client.Connect());

        proxy.Blackhole();

        Eventually(() => !client.IsConnected, "keep-alive timeout", TimeSpan.FromSeconds(6));
        Assert.Contains("keep-alive", client.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void AutoReconnect_ComesBackAfterABrokerCrash_AndResubscribes()
    {
        var (subscriber, received) = Subscriber("sub", "race/#", o =>
        {
            o.AutoReconnect = true;
            o.ReconnectMinDelay = TimeSpan.FromMilliseconds(100);
            o.ReconnectMaxDelay = TimeSpan.FromMilliseconds(400);
        });

        _broker.Kill();
        Eventually(() => !subscriber.IsConnected, "loss seen");
        Thread.Sleep(600);
        _broker.Start();
        Eventually(() => subscriber.IsConnected, "reconnected", TimeSpan.FromSeconds(5));
        var publisher = Client("pub");
        Assert.True(publisher.Connect());
        Thread.Sleep(200);
        publisher.Publish("race/1/x", "after"u8, 1, false);

        Assert.Equal("after", Encoding.ASCII.GetString(Take(received).Payload));
        Assert.True(subscriber.Connections >= 2);
    }

    [Fact]
    public void Tls_ConnectsWithTheRaceCa_AndRefusesAnUntrustedBroker()
    {
        var dir = Directory.CreateTempSubdirectory("tm-tls-").FullName;
        var (ca, certFile, keyFile) = MakeCertificates(dir);
        using var tls = new MosquittoProcess(new MosquittoSettings { TlsCertificateFile = certFile, TlsKeyFile = keyFile });
        tls.Start();
        var trusted = Client("trusted", broker: tls.Address, configure: o => (o.TlsTrustedCa, o.TlsTargetHost) = (ca, "localhost"));
        var untrusted = Client("untrusted", broker: tls.Address, configure: o => o.TlsTargetHost = "localhost");

        Assert.True(trusted.Connect(), trusted.LastError);
        Assert.Equal(1, trusted.SubscribeAndWait("race/#", 1, TimeSpan.FromSeconds(5)));
        Assert.False(untrusted.Connect());
        Directory.Delete(dir, recursive: true);
    }

    public void Dispose()
    {
        foreach (var item in _cleanup)
        {
            item.Dispose();
        }

        _broker.Dispose();
    }

    private static MqttApplicationMessage Take(BlockingCollection<MqttApplicationMessage> received)
    {
        Assert.True(received.TryTake(out var message, TimeSpan.FromSeconds(5)), "no message within 5 s");
        return message;
    }

    private static void Eventually(Func<bool> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(5));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {(within ?? TimeSpan.FromSeconds(5)).TotalSeconds} s: {what}");
            Thread.Sleep(20);
        }
    }

    private static (X509Certificate2 Ca, string CertFile, string KeyFile) MakeCertificates(string dir)
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=TimingMat test race CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        var server = request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), [1, 2, 3, 4]);
        var certFile = Path.Combine(dir, "broker.crt");
        var keyFile = Path.Combine(dir, "broker.key");
        File.WriteAllText(certFile, server.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (X509CertificateLoader.LoadCertificate(ca.Export(X509ContentType.Cert)), certFile, keyFile);
    }

    private MqttClient Client(string id, MqttWill? will = null, MqttBrokerAddress? broker = null, Action<MqttClientOptions>? configure = null)
    {
        var options = new MqttClientOptions { Broker = broker ?? _broker.Address, ClientId = id, Will = will, ConnectTimeout = TimeSpan.FromSeconds(3) };
        configure?.Invoke(options);
        var client = new MqttClient(options);
        _cleanup.Add(client);
        return client;
    }

    private (MqttClient Client, BlockingCollection<MqttApplicationMessage> Received) Subscriber(string id, string filter, Action<MqttClientOptions>? configure = null)
    {
        var client = Client(id, configure: configure);
        var received = new BlockingCollection<MqttApplicationMessage>();
        client.MessageReceived += (_, e) => received.Add(e.Message);
        Assert.True(client.Connect(), client.LastError);
        Assert.Equal(1, client.SubscribeAndWait(filter, 1, TimeSpan.FromSeconds(5)));
        return (client, received);
    }
}
