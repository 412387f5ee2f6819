using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TimingMat.Tent.Monitoring;

namespace TimingMat.Tent.Web;

/// <summary>
/// The monitor's browser pages on ASP.NET Core: the fleet page (<c>/</c>) with an acknowledge button per alarm, and a
/// checkpoint screen per mat (<c>/mat/&lt;unit&gt;</c>) with its latest passings in big type, both updated live over
/// Server-Sent Events (<c>/events</c>, <c>/mat/&lt;unit&gt;/events</c>) from a <see cref="FleetMonitor"/>.
/// </summary>
/// <remarks>
/// <para>Routes: <c>GET /api/fleet</c> and <c>GET /api/mat/&lt;unit&gt;</c> give the JSON the pages show;
/// <c>POST /api/ack</c> with <c>{"unit":3,"kind":"unit-silent"}</c> acknowledges one alarm, <c>{"all":true}</c> every
/// alarm. A POST must be <c>application/json</c>, which a page of another site cannot send without the browser asking
/// first, so a link or form elsewhere cannot acknowledge the tent's alarms.</para>
/// <para>The caller decides where it listens; <c>timingmat monitor</c> binds loopback unless told otherwise.</para>
/// </remarks>
public sealed class MonitorWebServer : IAsyncDisposable, IDisposable
{
    // Streams send the picture at least this often, so "seen N s ago" counts on while nothing changes.
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(1);

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.Default,
    };

    private readonly WebApplication _app;
    private readonly FleetMonitor _monitor;
    private readonly CancellationTokenSource _stopping = new();

    private MonitorWebServer(WebApplication app, FleetMonitor monitor, Uri url)
    {
        _app = app;
        _monitor = monitor;
        Url = url;
    }

    /// <summary>Gets the address the pages are served on (the port chosen when 0 was asked).</summary>
    public Uri Url { get; }

    /// <summary>Starts serving.</summary>
    /// <param name="monitor">The fleet to show.</param>
    /// <param name="endpoint">Where to listen (port 0: a free one).</param>
    /// <returns>The running server.</returns>
    /// <exception cref="IOException">The address cannot be bound (in use, or not this computer's).</exception>
    public static MonitorWebServer Start(FleetMonitor monitor, IPEndPoint endpoint)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(endpoint));
        var app = builder.Build();
        var address = app.Services.GetRequiredService<IServer>();
        MonitorWebServer? server = null;
        Map(app, () => server!);
        app.StartAsync().GetAwaiter().GetResult();
        var url = address.Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new MonitorWebServer(app, monitor, new Uri(url.Replace("[::]", "localhost", StringComparison.Ordinal).TrimEnd('/') + "/"));
        return server;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            await _app.StopAsync(patience.Token).ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static void Map(WebApplication app, Func<MonitorWebServer> server)
    {
        app.MapGet("/", () => Page("fleet.html"));
        app.MapGet("/mat/{unit:int}", (int unit) => Page("checkpoint.html", unit));
        app.MapGet("/pages/{name}", (string name) => Page(name));
        app.MapGet("/api/fleet", () => Results.Json(server()._monitor.Snapshot(DateTime.UtcNow), Json));
        app.MapGet("/api/fleet.js", () => Script(server()._monitor.Snapshot(DateTime.UtcNow)));
        app.MapGet("/api/mat/{unit:int}.js", (int unit) => Script(server()._monitor.Checkpoint(unit)));
        app.MapGet("/api/mat/{unit:int}", (int unit) => Results.Json(server()._monitor.Checkpoint(unit), Json));
        app.MapGet("/events", (HttpContext context) => server().Stream(context, () => server()._monitor.Snapshot(DateTime.UtcNow)));
        app.MapGet("/mat/{unit:int}/events", (HttpContext context, int unit) => server().Stream(context, () => server()._monitor.Checkpoint(unit)));
        app.MapPost("/api/ack", (AckRequest request) => server().Acknowledge(request));
    }

    // The picture a page starts from, as a script: the page draws it before it counts as loaded (so a screenshot or a
    // slow tablet shows the fleet at once), then follows the stream.
    private static IResult Script(object picture) =>
        Results.Text("window.initialPicture = " + JsonSerializer.Serialize(picture, Json) + ";\n", "text/javascript; charset=utf-8");

    private static IResult Page(string name, int? unit = null)
    {
        using var stream = typeof(MonitorWebServer).Assembly.GetManifestResourceStream("pages/" + name);
        if (stream == null)
        {
            return Results.NotFound();
        }

        var text = new StreamReader(stream).ReadToEnd();
        if (unit != null)
        {
            text = text.Replace("{unit}", unit.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        var type = Path.GetExtension(name) switch
        {
            ".html" => "text/html; charset=utf-8",
            ".css" => "text/css; charset=utf-8",
            _ => "text/javascript; charset=utf-8",
        };
        return Results.Text(text, type);
    }

    private IResult Acknowledge(AckRequest request)
    {
        if (request.All == true)
        {
            return Results.Json(new { acknowledged = _monitor.AcknowledgeAll() }, Json);
        }

        if (request.Unit is not { } unit || !AlarmKinds.TryParse(request.Kind, out var kind))
        {
            return Results.BadRequest(new { error = "give {\"unit\":N,\"kind\":\"unit-silent|clock-unlocked|reader-down|journal-filling|battery-low\"} or {\"all\":true}" });
        }

        return Results.Json(new { acknowledged = _monitor.Acknowledge(unit, kind) ? 1 : 0 }, Json);
    }

    // Sends the picture on every change of the fleet's version, and at least every heartbeat.
    private async Task Stream(HttpContext context, Func<object> picture)
    {
        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        using var changed = new SemaphoreSlim(0);
        void OnChanged()
        {
            try
            {
                changed.Release();
            }
            catch (ObjectDisposedException)
            {
                // The page closed while the monitor was announcing a change: nothing to wake.
            }
        }

        _monitor.Changed += OnChanged;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var data = JsonSerializer.Serialize(picture(), Json);
                await context.Response.WriteAsync("data: " + data + "\n\n", stop.Token).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
                await changed.WaitAsync(Heartbeat, stop.Token).ConfigureAwait(false);

                // A burst of passings is one update: browsers on a tent's Wi-Fi need not redraw 30 times a second.
                await Task.Delay(200, stop.Token).ConfigureAwait(false);
                while (changed.CurrentCount > 0)
                {
                    await changed.WaitAsync(stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page closed or the server stops.
        }
        finally
        {
            _monitor.Changed -= OnChanged;
        }
    }
}

/// <summary>The body of <c>POST /api/ack</c>.</summary>
/// <param name="Unit">The alarm's unit.</param>
/// <param name="Kind">The alarm's name.</param>
/// <param name="All">True: every alarm.</param>
public sealed record AckRequest(int? Unit, string? Kind, bool? All);
