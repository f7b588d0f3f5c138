namespace CollabCanvas.Server.Tests.Infrastructure;

/// <summary>One server process shared by the tests of a class; limits raised so that tests are not rate limited by accident.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync(null,
        ("Realtime:BatchesPerSecond", "2000"), ("Realtime:BatchBurst", "2000"), ("Realtime:MessagesPerSecond", "5000"),
        ("Realtime:MaxFrameBytes", "65536"));

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
