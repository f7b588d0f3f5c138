using System.Text.Json;
using System.Text.Json.Serialization;

namespace CollabCanvas.Server.Backend.Redis;

/// <summary>The JSON of access messages on Redis.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AccessChange))]
internal sealed partial class RedisJsonContext : JsonSerializerContext;
