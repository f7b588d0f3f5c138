using CollabCanvas.Server.Backend;

namespace CollabCanvas.Server.Tests.Backend;

/// <summary>Accounts for the access contract tests to refer to (a membership, an invitation or a link belongs to one).</summary>
public static class BackendUsers
{
    public static async Task AddAsync(BackendUnderTest backend, params string[] userIds)
    {
        var users = backend.Get<IUserStore>();
        foreach (var id in userIds)
            Assert.True(await users.TryCreateAsync(new User(id, id, null, false, null), new UserIdentity("local", id + "@example.com", null, false), null));
    }
}
