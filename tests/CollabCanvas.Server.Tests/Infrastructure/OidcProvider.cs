using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CollabCanvas.Server.Tests.Infrastructure;

/// <summary>
/// A real OpenID Provider on loopback: node-oidc-provider (tests/oidc-provider/server.mjs) as a separate process,
/// with signing keys made here so that tests can also mint tokens of their own with the provider's key (and with
/// keys it does not have). Who signs in next is set with <see cref="SetAccountAsync"/>; <see cref="RotateKeysAsync"/> changes
/// its signing keys while it runs.
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    public const string ClientId = "collabcanvas";
    public const string ClientSecret = "test-only-client-secret";
    public const string Audience = "collabcanvas-api";

    private readonly Process _process;
    private readonly List<string> _output = [];

    private OidcProvider(Process process, int port, IReadOnlyList<(string Kid, RSA Key)> keys, int serverPort)
    {
        _process = process;
        Port = port;
        Keys = keys;
        ServerPort = serverPort;
    }

    public int Port { get; }
    public int ServerPort { get; }
    public string Issuer => $"http://127.0.0.1:{Port}";
    /// <summary>The keys the provider publishes; the first signs.</summary>
    public IReadOnlyList<(string Kid, RSA Key)> Keys { get; private set; }

    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    /// <summary>The server settings that configure this provider as <c>test</c> (local accounts kept on for the test user).</summary>
    public (string, string)[] ServerSettings =>
    [
        ("Auth:Providers:test:Authority", Issuer), ("Auth:Providers:test:ClientId", ClientId),
        ("Auth:Providers:test:ClientSecret", ClientSecret), ("Auth:Providers:test:Audience", Audience),
        ("Auth:Providers:test:DisplayName", "Test IdP"), ("Auth:Providers:test:RequireHttpsMetadata", "false"),
        ("Auth:LocalAccounts", "true"), ("Auth:KeyRefreshSeconds", "1"),
    ];

    /// <param name="serverPort">The CollabCanvas server's port, for the client's redirect URIs.</param>
    /// <param name="providerNames">The names the server knows this provider by: each has its own callback paths.</param>
    public static async Task<OidcProvider> StartAsync(int serverPort, IReadOnlyList<(string Kid, RSA Key)>? keys = null, int port = 0,
        string[]? providerNames = null)
    {
        providerNames ??= ["test"];
        keys ??= [("key-1", RSA.Create(2048))];
        port = port == 0 ? ServerProcess.FreePort() : port;
        var folder = Path.Combine(ServerProcess.RepositoryRoot, "tests", "oidc-provider");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "oidc-provider")))
            throw new InvalidOperationException($"{folder}/node_modules is missing: scripts/test.sh runs npm ci there.");
        var keysFile = Path.Combine(Directory.CreateTempSubdirectory("collabcanvas-idp-").FullName, "jwks.json");
        await File.WriteAllTextAsync(keysFile, JsonSerializer.Serialize(new { keys = keys.Select(k => PrivateJwk(k.Kid, k.Key)) }));
        string[] clients = [ClientId, "another-client"];
        var start = new ProcessStartInfo("node", [Path.Combine(folder, "server.mjs")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        start.Environment["PORT"] = port.ToString();
        start.Environment["KEYS_FILE"] = keysFile;
        start.Environment["CLIENTS"] = JsonSerializer.Serialize(clients.Select(id => new Dictionary<string, object>
        {
            ["client_id"] = id,
            ["client_secret"] = ClientSecret,
            ["redirect_uris"] = providerNames.Select(n => $"http://127.0.0.1:{serverPort}/auth/callback/{n}").ToArray(),
            ["post_logout_redirect_uris"] = providerNames.Select(n => $"http://127.0.0.1:{serverPort}/auth/signed-out/{n}").ToArray(),
            ["grant_types"] = new[] { "authorization_code" },
            ["response_types"] = new[] { "code" },
            ["token_endpoint_auth_method"] = "client_secret_post",
        }));
        var provider = new OidcProvider(Process.Start(start)!, port, keys, serverPort);
        HostWatchdog.KillWithHost(provider._process);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null) return;
            lock (provider._output) provider._output.Add(line);
            if (line.Contains("listening on")) listening.TrySetResult();
        }
        provider._process.OutputDataReceived += (_, e) => OnLine(e.Data);
        provider._process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        provider._process.BeginOutputReadLine();
        provider._process.BeginErrorReadLine();
        provider._process.EnableRaisingEvents = true;
        provider._process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException($"it exited with code {provider._process.ExitCode}"));
        try
        {
            await listening.Task.WaitAsync(Eventually.ProcessStart);
        }
        catch (Exception e)
        {
            await provider.DisposeAsync();
            throw new InvalidOperationException($"oidc-provider did not start ({e.Message}):\n{provider.Output}", e);
        }
        return provider;
    }

    /// <summary>Stops this provider and starts it again on the same port with other keys (a rotation across an outage).</summary>
    public async Task<OidcProvider> RestartAsync(IReadOnlyList<(string Kid, RSA Key)> keys)
    {
        await DisposeAsync();
        return await StartAsync(ServerPort, keys, Port);
    }

    /// <summary>A key rotation while the provider runs: from now on it publishes <paramref name="keys"/> and signs with the first.</summary>
    public async Task RotateKeysAsync(IReadOnlyList<(string Kid, RSA Key)> keys)
    {
        using var http = new HttpClient();
        (await http.PostAsJsonAsync($"{Issuer}/test/keys", new { keys = keys.Select(k => PrivateJwk(k.Kid, k.Key)) })).EnsureSuccessStatusCode();
        Keys = keys;
    }

    public async Task SetAccountAsync(string sub, string email, bool emailVerified, string name)
    {
        using var http = new HttpClient();
        (await http.PostAsJsonAsync($"{Issuer}/test/account", new { sub, email, email_verified = emailVerified, name })).EnsureSuccessStatusCode();
    }

    /// <summary>An access token as the provider would sign it; every part can be changed to make a bad one.</summary>
    public string MintToken(Action<Dictionary<string, object>>? change = null, RSA? key = null, string? kid = null, string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new Dictionary<string, object>
        {
            ["iss"] = Issuer, ["aud"] = Audience, ["sub"] = "api-client-subject", ["iat"] = now, ["nbf"] = now, ["exp"] = now + 300,
            ["azp"] = ClientId,
        };
        change?.Invoke(claims);
        var signingKey = new RsaSecurityKey(key ?? Keys[0].Key) { KeyId = kid ?? Keys[0].Kid };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(JsonSerializer.Serialize(claims),
            new SigningCredentials(signingKey, algorithm));
    }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static Dictionary<string, string> PrivateJwk(string kid, RSA key)
    {
        var p = key.ExportParameters(includePrivateParameters: true);
        return new Dictionary<string, string>
        {
            ["kty"] = "RSA", ["kid"] = kid, ["use"] = "sig", ["alg"] = "RS256",
            ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent), ["d"] = Base64UrlEncoder.Encode(p.D),
            ["p"] = Base64UrlEncoder.Encode(p.P), ["q"] = Base64UrlEncoder.Encode(p.Q), ["dp"] = Base64UrlEncoder.Encode(p.DP),
            ["dq"] = Base64UrlEncoder.Encode(p.DQ), ["qi"] = Base64UrlEncoder.Encode(p.InverseQ),
        };
    }
}
