import { describe, expect, it } from 'vitest';
import { readCanvasFile, toJson } from '../src/editor/export';
import { CanvasModel } from '../src/sync/model';

// PNG and SVG are made from Konva nodes in a browser: tests/CollabCanvas.E2E.Tests/ExportTests.cs.
describe('export', () => {
  const model = new CanvasModel();
  model.apply([
    { op: 'put', id: 'r', props: { type: 'rect', x: 10, y: 20, width: 100, height: 50, fill: '#ff0000' } },
    { op: 'put', id: 'l', props: { type: 'line', x: 200, y: 0, points: [0, 0, 50, 150] } },
    { op: 'put', id: 't', props: { type: 'text', x: 0, y: 100, text: 'a < b & "c"', fontSize: 20 } },
  ]);

  it('round-trips JSON and refuses files that are not canvases', () => {
    expect(readCanvasFile(toJson(model))).toEqual(model.toJSON());
    expect(() => readCanvasFile('{"objects":{}}')).toThrow('Not a CollabCanvas JSON file.');
  });
});
