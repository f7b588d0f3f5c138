using System.Security.Cryptography;

namespace CollabCanvas.Server;

/// <summary>Random URL-safe ids, valid as canvas, session and object ids.</summary>
public static class Ids
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string New(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
