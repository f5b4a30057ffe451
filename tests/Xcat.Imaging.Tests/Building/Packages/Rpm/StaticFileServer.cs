using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Xcat.Imaging.Tests.Building.Packages.Rpm;

/// <summary>Serves a directory over HTTP on the loopback and counts the requests per file name.</summary>
internal sealed class StaticFileServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _directory;
    private readonly Task _loop;

    public StaticFileServer(string directory)
    {
        _directory = directory;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url(string path) => $"http://127.0.0.1:{Port}/{path}";

    public ConcurrentDictionary<string, int> Requests { get; } = new(StringComparer.Ordinal);

    public int RequestsEndingWith(string suffix) => Requests.Where(pair => pair.Key.EndsWith(suffix, StringComparison.Ordinal)).Sum(pair => pair.Value);

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var relative = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath).TrimStart('/');
            Requests.AddOrUpdate(relative, 1, (_, count) => count + 1);
            var path = Path.GetFullPath(Path.Combine(_directory, relative));
            using var response = context.Response;
            if (!path.StartsWith(_directory, StringComparison.Ordinal) || !File.Exists(path))
            {
                response.StatusCode = 404;
                continue;
            }

            var bytes = await File.ReadAllBytesAsync(path);
            response.ContentLength64 = bytes.Length;
            if (context.Request.HttpMethod != "HEAD")
            {
                await response.OutputStream.WriteAsync(bytes);
            }
        }
    }
}
