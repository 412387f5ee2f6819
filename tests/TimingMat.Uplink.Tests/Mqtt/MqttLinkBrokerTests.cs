using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TimingMat.Mqtt;
using TimingMat.Mqtt.Broker;
using TimingMat.Core.Hardware;
using TimingMat.Uplink.Tests.Support;
using Xunit;

namespace TimingMat.Uplink.Tests.Mqtt;

/// <summary>The desktop MQTT link (MQTTnet) against a real Mosquitto started on a free loopback port.</summary>
public sealed class MqttLinkBrokerTests : IDisposable
{
    private readonly MosquittoProcess _broker;
    private readonly List<IDisposable> _cleanup = [];

    public MqttLinkBrokerTests()
    {
        _broker = new MosquittoProcess();
        _broker.Start();
    }

    [Fact]
    public void Qos1Publish_ReachesTheSubscriber_AndThePubackIsHandedBack()
    {
        var (_, received) = Subscriber("sub", "race/+/passings");
        var publisher = Link("pub");

        var id = publisher.Publish("race/7/passings", "batch"u8.ToArray(), 1, false);

        Assert.True(id > 0);
        var message = Take(received);
        Assert.Equal(("race/7/passings", "batch"), (message.Topic, Encoding.ASCII.GetString(message.Payload)));
        var acked = 0;
        Eventually(() => publisher.TryTakeAcknowledged(out acked), "PUBACK");
        Assert.Equal(id, acked);
        Assert.Equal(0, publisher.InFlightCount);
    }

    [Fact]
    public void Publish_WhileNotConnected_SaysSo()
    {
        using var link = new MqttLink(_broker.Address);

        Assert.Equal(-1, link.Publish("race/7/passings", [1], 1, false));
        Assert.False(link.Subscribe("race/#", 1));
    }

    [Fact]
    public void RetainedMessage_GoesToALaterSubscriber()
    {
        var publisher = Link("pub");
        Assert.True(publisher.PublishAndWait("race/7/status", "{\"state\":\"online\"}"u8.ToArray(), 1, retain: true, TimeSpan.FromSeconds(5)));

        var (_, received) = Subscriber("late", "race/7/status");

        Assert.Equal("{\"state\":\"online\"}", Encoding.ASCII.GetString(Take(received).Payload));
    }

    [Fact]
    public void Will_IsPublishedWhenTheClientVanishes_ButNotOnACleanDisconnect()
    {
        var (_, received) = Subscriber("watcher", "race/+/status");
        var polite = Link("polite", Will("race/1/status"));
        var vanishing = Link("vanishing", Will("race/2/status"));

        polite.Disconnect();
        vanishing.Abort();

        var message = Take(received);
        Assert.Equal("race/2/status", message.Topic);
        Assert.Equal("offline", Encoding.ASCII.GetString(message.Payload));
        Assert.False(received.TryTake(out _, 500));
        Assert.False(vanishing.IsConnected);
    }

    [Fact]
    public void PersistentSession_QueuesQos1MessagesWhileTheSubscriberIsAway()
    {
        var (subscriber, received) = Subscriber("collector", "race/+/passings");
        subscriber.Disconnect();
        var publisher = Link("pub");
        for (var i = 0; i < 5; i++)
        {
            Assert.True(publisher.PublishAndWait("race/7/passings", [(byte)i], 1, false, TimeSpan.FromSeconds(5)));
        }

        Assert.True(subscriber.Connect(Options("collector")), subscriber.LastError);

        Assert.True(subscriber.SessionPresent);
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4 }, Enumerable.Range(0, 5).Select(_ => Take(received).Payload[0]));
    }

    [Fact]
    public void Credentials_AreChecked()
    {
        using var secured = new MosquittoProcess(new MosquittoSettings { Users = { ["timer"] = "s3cret" } });
        secured.Start();
        var good = Link("good", broker: secured.Address, configure: o => (o.Username, o.Password) = ("timer", "s3cret"), connect: false);
        var bad = Link("bad", broker: secured.Address, configure: o => (o.Username, o.Password) = ("timer", "wrong"), connect: false);
        var anonymous = Link("anonymous", broker: secured.Address, connect: false);

        Assert.True(good.Connect(Options("good", o => (o.Username, o.Password) = ("timer", "s3cret"))), good.LastError);
        Assert.False(bad.Connect(Options("bad", o => (o.Username, o.Password) = ("timer", "wrong"))));
        Assert.False(anonymous.Connect(Options("anonymous")));
        Assert.Contains("refused", bad.LastError, StringComparison.Ordinal);
        Assert.Contains("refused", anonymous.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public void BeginConnect_ReturnsAtOnce_AndEndsWithTheOutcome()
    {
        using var link = new MqttLink(_broker.Address);
        using var nowhere = new MqttLink(new MqttBrokerAddress("127.0.0.1", MosquittoProcess.FreeLoopbackPort(), false), o => o.ConnectTimeout = TimeSpan.FromSeconds(2));

        link.BeginConnect(Options("begin"));
        nowhere.BeginConnect(Options("nowhere"));

        Eventually(() => !link.IsConnecting && !nowhere.IsConnecting, "both attempts ended");
        Assert.True(link.IsConnected, link.LastError);
        Assert.False(nowhere.IsConnected);
        Assert.NotNull(nowhere.LastError);
    }

    [Fact]
    public void APublicationInFlightWhenTheLinkDies_IsNeverAcknowledged_AndTheLinkSaysItIsDown()
    {
        using var proxy = new TcpCutProxy(_broker.Port);
        var publisher = Link("pub", broker: proxy.Address);
        proxy.Blackhole();

        var id = publisher.Publish("race/7/passings", "lost?"u8.ToArray(), 1, false);
        Thread.Sleep(200);
        Assert.Equal(1, publisher.InFlightCount);
        proxy.Sever();

        Eventually(() => !publisher.IsConnected && publisher.InFlightCount == 0, "connection loss seen");
        Assert.False(publisher.TryTakeAcknowledged(out _), $"packet {id} was acknowledged by a broker that never saw it");
        proxy.Restore();
        Assert.True(publisher.Connect(Options("pub")), publisher.LastError);
        Assert.True(publisher.PublishAndWait("race/7/passings", "again"u8.ToArray(), 1, false, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void KeepAlive_DetectsASilentDeadLink()
    {
        using var proxy = new TcpCutProxy(_broker.Port);
        var link = Link("ka", broker: proxy.Address, configure: o => o.KeepAliveSeconds = 2);

        proxy.Blackhole();

        Eventually(() => !link.IsConnected && link.LastError != null, "keep-alive timeout", TimeSpan.FromSeconds(10));
        Assert.Equal(1, link.ConnectionsLost);
    }

    [Fact]
    public void AfterABrokerCrash_TheLinkSeesTheLoss_AndConnectsAgainOnTheSameObject()
    {
        var (subscriber, received) = Subscriber("sub", "race/#");

        _broker.Kill();
        Eventually(() => !subscriber.IsConnected, "loss seen");
        Assert.False(subscriber.Connect(Options("sub")));
        _broker.Start();
        Assert.True(subscriber.Connect(Options("sub")), subscriber.LastError);

        // As the collector does after every connect: a crash may have lost the session's subscriptions.
        Assert.Equal(1, subscriber.SubscribeAndWait("race/#", 1, TimeSpan.FromSeconds(5)));
        var publisher = Link("pub");
        Assert.True(publisher.PublishAndWait("race/1/x", "after"u8.ToArray(), 1, false, TimeSpan.FromSeconds(5)));

        Assert.Equal("after", Encoding.ASCII.GetString(Take(received).Payload));
        Assert.Equal((2, 1), (subscriber.Connections, subscriber.ConnectionsLost));
    }

    [Fact]
    public void Tls_ConnectsWithTheRaceCa_AndRefusesAnUntrustedBroker()
    {
        var dir = Directory.CreateTempSubdirectory("tm-tls-").FullName;
        var (ca, certFile, keyFile) = MakeCertificates(dir);
        using var tls = new MosquittoProcess(new MosquittoSettings { TlsCertificateFile = certFile, TlsKeyFile = keyFile });
        tls.Start();
        using var trusted = new MqttLink(tls.Address, o => (o.TlsTrustedCa, o.TlsTargetHost) = (ca, "localhost"));
        using var untrusted = new MqttLink(tls.Address, o => o.TlsTargetHost = "localhost");

        Assert.True(trusted.Connect(Options("trusted")), trusted.LastError);
        Assert.Equal(1, trusted.SubscribeAndWait("race/#", 1, TimeSpan.FromSeconds(5)));
        Assert.False(untrusted.Connect(Options("untrusted")));
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

    private static MqttMessage Take(BlockingCollection<MqttMessage> received)
    {
        Assert.True(received.TryTake(out var message, TimeSpan.FromSeconds(5)), "no message within 5 s");
        return message;
    }

    private static Action<MqttConnectOptions> Will(string topic) => o => (o.WillTopic, o.WillMessage, o.WillQos, o.WillRetain) = (topic, "offline", 1, true);

    private static MqttConnectOptions Options(string id, Action<MqttConnectOptions>? configure = null)
    {
        var options = new MqttConnectOptions(id) { KeepAliveSeconds = 15 };
        configure?.Invoke(options);
        return options;
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

    private MqttLink Link(string id, Action<MqttConnectOptions>? will = null, MqttBrokerAddress? broker = null, Action<MqttConnectOptions>? configure = null, bool connect = true)
    {
        var link = new MqttLink(broker ?? _broker.Address, o => o.ConnectTimeout = TimeSpan.FromSeconds(3));
        _cleanup.Add(link);
        if (connect)
        {
            var options = Options(id, will);
            configure?.Invoke(options);
            Assert.True(link.Connect(options), link.LastError);
        }

        return link;
    }

    private (MqttLink Link, BlockingCollection<MqttMessage> Received) Subscriber(string id, string filter)
    {
        var received = new BlockingCollection<MqttMessage>();
        var link = new MqttLink(_broker.Address, o => o.ConnectTimeout = TimeSpan.FromSeconds(3));
        link.MessageReceived += received.Add;
        _cleanup.Add(link);
        Assert.True(link.Connect(Options(id)), link.LastError);
        Assert.Equal(1, link.SubscribeAndWait(filter, 1, TimeSpan.FromSeconds(5)));
        return (link, received);
    }
}
