namespace CollabCanvas.Server.Ai.Components;

public sealed class Table : IComponent
{
    public string Name => "table";
    public string[] Synonyms => ["data table", "grid table", "spreadsheet", "datagrid", "data grid", "tabular data"];
    public string Description => "A table of Rows x Columns (a header row of Labels, then data rows).";

    public void Build(Drawing d, ComponentSpec spec)
    {
        var u = Drawing.U;
        var rows = Math.Clamp(spec.Rows ?? 3, 1, 20);
        var columns = Math.Clamp(spec.Columns ?? 3, 1, 8);
        var headers = Enumerable.Range(0, columns).Select(c => spec.Label(c, new[] { "Name", "Status", "Owner", "Date", "Amount", "Team", "Priority", "Notes" }[c])).ToList();
        // Wide enough for the header and for the widest value ("Header 20").
        var cell = Math.Max(120, headers.Max(h => Drawing.Measure(h + " 00", 14, true)) + 4 * u);
        const double rowHeight = 44;
        var frame = d.Frame("Table", 0, 0, columns * cell + 4 * u, (rows + 1) * rowHeight + 4 * u, radius: 12);
        d.Rect(frame, 2 * u, 2 * u, columns * cell, rowHeight, d.Theme.Background, radius: 6, name: "header");
        for (var c = 0; c < columns; c++)
            d.Text(frame, 2 * u + c * cell + 2 * u, 2 * u + 14, headers[c], 14, bold: true, width: cell - 4 * u);
        for (var r = 1; r <= rows; r++)
        {
            var y = 2 * u + r * rowHeight;
            d.Line(frame, 2 * u, y, 2 * u + columns * cell, y, d.Theme.Border);
            for (var c = 0; c < columns; c++)
                d.Text(frame, 2 * u + c * cell + 2 * u, y + 14, $"{headers[c]} {r}", 14, d.Theme.Muted, width: cell - 4 * u);
        }
    }
}
