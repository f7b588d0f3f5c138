namespace CollabCanvas.Core.Protocol;

/// <summary>The <c>code</c> of an <c>error</c> message. Each is documented in docs/protocol.md.</summary>
public static class ErrorCodes
{
    public const string BadJson = "bad_json";
    public const string BadMessage = "bad_message";
    public const string BinaryFrame = "binary_frame";
    public const string UnknownType = "unknown_type";
    public const string InvalidOp = "invalid_op";
    public const string HelloRequired = "hello_required";
    public const string AlreadyHello = "already_hello";
    public const string RateLimited = "rate_limited";
    public const string TooManyObjects = "too_many_objects";
    public const string RefConflict = "ref_conflict";
    public const string Forbidden = "forbidden";
    public const string Internal = "internal";
    /// <summary><c>hello.link</c> while the feature flag ShareLinks is off for the caller: the link was not used.</summary>
    public const string ShareLinksOff = "share_links_off";
}

/// <summary>WebSocket close codes the server uses when a session cannot go on.</summary>
public static class CloseCodes
{
    /// <summary>The server is shutting down (after the log was flushed); reconnect elsewhere or later.</summary>
    public const int GoingAway = 1001;
    /// <summary>A frame was larger than the limit.</summary>
    public const int MessageTooBig = 1009;
    /// <summary>An unexpected server error.</summary>
    public const int InternalError = 1011;
    /// <summary>The instance must reload the canvas (it fell behind the shared log); reconnect with <c>since</c>.</summary>
    public const int Reload = 1012;
    /// <summary>The first message was not a valid <c>hello</c>.</summary>
    public const int BadHello = 4400;
    /// <summary>
    /// Not signed in and no share link; or the sign-in or token behind the session ended (signed out, account
    /// deleted, expired, or an <c>auth</c> that was refused): sign in (or open a share link) and connect again.
    /// </summary>
    public const int Unauthorized = 4401;
    /// <summary>No access to this canvas, or the access ended (signed out elsewhere, removed, link revoked).</summary>
    public const int Forbidden = 4403;
    /// <summary>The canvas does not exist.</summary>
    public const int CanvasNotFound = 4404;
    /// <summary>No <c>hello</c> arrived within the hello timeout.</summary>
    public const int HelloTimeout = 4408;
    /// <summary>The canvas was deleted while the session was open.</summary>
    public const int CanvasDeleted = 4410;
    /// <summary>The client did not read fast enough; its send queue overflowed.</summary>
    public const int SlowConsumer = 4429;
}
