using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace CollabCanvas.Server.Auth;

/// <summary>
/// Password hashing with Argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane), through libsodium (NSec), stored
/// as a PHC string so that the parameters can be raised later and old hashes still verify. The old scheme's unsalted
/// SHA-256 is only ever verified (to upgrade an imported row), never written.
/// </summary>
public sealed class Passwords
{
    public const int MinLength = 8;
    public const int MaxLength = 128;
    private const int MemoryKiB = 19 * 1024;
    private const int Passes = 2;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    // Each hash holds 19 MiB for tens of milliseconds: bound how many run at once so that a burst of sign-ins
    // cannot take the memory of the server.
    private readonly SemaphoreSlim _running = new(Math.Max(2, Environment.ProcessorCount));
    private readonly string _dummyHash;

    public Passwords()
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        _dummyHash = Format(salt, Argon2(MemoryKiB, Passes).DeriveBytes("spends the time of a check when there is no account", salt, HashBytes));
    }

    public async Task<string> HashAsync(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return Format(salt, await DeriveAsync(password, salt, MemoryKiB, Passes));
    }

    /// <summary>Verifies against a PHC string. A malformed or foreign string never verifies.</summary>
    public async Task<bool> VerifyAsync(string password, string phc)
    {
        var parts = phc.Split('$');
        // "", "argon2id", "v=19", "m=..,t=..,p=1", salt, hash
        if (parts.Length != 6 || parts[1] != "argon2id" || parts[2] != "v=19") return false;
        int memory = 0, passes = 0, lanes = 0;
        foreach (var kv in parts[3].Split(','))
        {
            var pair = kv.Split('=');
            if (pair.Length != 2 || !int.TryParse(pair[1], out var value)) return false;
            switch (pair[0])
            {
                case "m": memory = value; break;
                case "t": passes = value; break;
                case "p": lanes = value; break;
            }
        }
        if (lanes != 1 || memory < 8 || memory > 1024 * 1024 || passes < 1 || passes > 20) return false;
        byte[] salt, expected;
        try
        {
            salt = FromB64(parts[4]);
            expected = FromB64(parts[5]);
        }
        catch (FormatException)
        {
            return false;
        }
        if (salt.Length != SaltBytes || expected.Length is < 16 or > 64) return false;
        var actual = await DeriveAsync(password, salt, memory, passes, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Spends the time of one verification, so that "no such account" takes as long as "wrong password".</summary>
    public Task VerifyNothingAsync(string password) => VerifyAsync(password, _dummyHash);

    /// <summary>True when the hash was made with weaker parameters than today's and should be replaced.</summary>
    public static bool NeedsRehash(string phc) => !phc.StartsWith($"$argon2id$v=19$m={MemoryKiB},t={Passes},p=1$", StringComparison.Ordinal);

    /// <summary>The old scheme: hex SHA-256 of the UTF-8 password, no salt. Compared in constant time.</summary>
    public static bool VerifyLegacySha256(string password, string legacyHex)
    {
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        byte[] expected;
        try
        {
            expected = Convert.FromHexString(legacyHex);
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>Waits for a turn without holding a thread (a burst of sign-ins must not starve the thread pool), then hashes.</summary>
    private async Task<byte[]> DeriveAsync(string password, byte[] salt, int memoryKiB, int passes, int length = HashBytes)
    {
        await _running.WaitAsync().ConfigureAwait(false);
        try
        {
            return Argon2(memoryKiB, passes).DeriveBytes(password, salt, length);
        }
        finally
        {
            _running.Release();
        }
    }

    private static PasswordBasedKeyDerivationAlgorithm Argon2(int memoryKiB, int passes)
    {
        var parameters = new Argon2Parameters { DegreeOfParallelism = 1, MemorySize = memoryKiB, NumberOfPasses = passes };
        return PasswordBasedKeyDerivationAlgorithm.Argon2id(in parameters);
    }

    private static string Format(byte[] salt, byte[] hash) => $"$argon2id$v=19$m={MemoryKiB},t={Passes},p=1${B64(salt)}${B64(hash)}";

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] FromB64(string text) => Convert.FromBase64String(text.PadRight(text.Length + (4 - text.Length % 4) % 4, '='));
}
