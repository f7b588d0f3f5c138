using CollabCanvas.Core.Model;

namespace CollabCanvas.Core.Tests;

/// <summary>Short constructors for ops in tests.</summary>
internal static class Ops
{
    public static PutOp Create(string id, string type, params (string Name, object? Value)[] props) =>
        Put(id, [("type", type), .. props]);

    public static PutOp Put(string id, params (string Name, object? Value)[] props) =>
        new(id, props.Select(p => new PropChange(p.Name, p.Value switch
        {
            null => (PropValue?)null,
            string s => PropValue.String(s),
            bool b => PropValue.Bool(b),
            double[] points => PropValue.Points(points),
            IConvertible n => PropValue.Number(Convert.ToDouble(n)),
            _ => throw new ArgumentException(p.Name),
        })).ToArray());

    public static DeleteOp Delete(string id) => new(id);

    public static string Json(this CanvasState state) => System.Text.Encoding.UTF8.GetString(state.ObjectsToUtf8());
}
