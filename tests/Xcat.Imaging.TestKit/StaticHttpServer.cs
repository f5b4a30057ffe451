using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Xcat.Imaging.TestKit;

/// <summary>
/// A tiny HTTP/1.1 file server on 127.0.0.1 (a random port) for boot tests: serves one directory (GET and HEAD),
/// streams files without buffering them, answers 404 for anything missing, and counts requests per path. qemu's user
/// network reaches it from the guest as <c>http://10.0.2.2:&lt;port&gt;/</c>.
/// </summary>
public sealed class StaticHttpServer : IAsyncDisposable
{
    private readonly string _root;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);

    private StaticHttpServer(string root)
    {
        _root = Path.GetFullPath(root);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>Gets the port the server listens on.</summary>
    public int Port { get; }

    /// <summary>Gets the base URL as the host sees it.</summary>
    public string HostUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Gets the base URL as a qemu guest on the user network sees it.</summary>
    public string GuestUrl => $"http://10.0.2.2:{Port}";

    /// <summary>Starts serving <paramref name="directory"/>.</summary>
    public static StaticHttpServer Start(string directory) => new(directory);

    /// <summary>Returns how many requests asked for <paramref name="path"/> (e.g. <c>/rootimg.cpio.gz</c>), whatever the answer.</summary>
    public int RequestCount(string path) => _requests.GetValueOrDefault(path);

    /// <summary>Gets every path requested so far with its count.</summary>
    public IReadOnlyDictionary<string, int> Requests => new Dictionary<string, int>(_requests, StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadHeadAsync(stream);
                var parts = request.Split('\n')[0].Trim().Split(' ');
                if (parts.Length < 2)
                {
                    return;
                }

                var path = Uri.UnescapeDataString(parts[1].Split('?')[0]);
                _requests.AddOrUpdate(path, 1, static (_, n) => n + 1);
                var file = Path.GetFullPath(Path.Combine(_root, path.TrimStart('/')));
                var found = (file == _root || file.StartsWith(_root + "/", StringComparison.Ordinal)) && File.Exists(file);
                if (!found || parts[0] is not ("GET" or "HEAD"))
                {
                    var body = Encoding.ASCII.GetBytes("not found\n");
                    await WriteHeadAsync(stream, found ? "405 Method Not Allowed" : "404 Not Found", body.Length);
                    await stream.WriteAsync(body, _stop.Token);
                    return;
                }

                await using var content = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous);
                await WriteHeadAsync(stream, "200 OK", content.Length);
                if (parts[0] == "GET")
                {
                    await content.CopyToAsync(stream, 1 << 20, _stop.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The guest went away (or the test ended): nothing to answer.
            }
        }
    }

    private static async Task WriteHeadAsync(NetworkStream stream, string status, long length)
    {
        var head = $"HTTP/1.1 {status}\r\nContent-Length: {length}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (head.Length < 16384 && !head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(buffer) == 0)
            {
                break;
            }

            head.Append((char)buffer[0]);
        }

        return head.ToString();
    }
}
