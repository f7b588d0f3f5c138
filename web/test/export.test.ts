import { describe, expect, it } from 'vitest';
import { readCanvasFile, toJson, toSvg } from '../src/editor/export';
import { CanvasModel } from '../src/sync/model';

describe('export', () => {
  const model = new CanvasModel();
  model.apply([
    { op: 'put', id: 'r', props: { type: 'rect', x: 10, y: 20, width: 100, height: 50, fill: '#ff0000' } },
    { op: 'put', id: 'l', props: { type: 'line', x: 200, y: 0, points: [0, 0, 50, 150] } },
    { op: 'put', id: 't', props: { type: 'text', x: 0, y: 100, text: 'a < b & "c"', fontSize: 20 } },
  ]);

  it('sizes the SVG to the bounds of what it exports', () => {
    expect(toSvg(model, [])).toContain('viewBox="0 0 250 150"');
    expect(toSvg(model, ['r'])).toContain('viewBox="10 20 100 50"');
  });

  it('escapes text and writes each type as its SVG element', () => {
    const svg = toSvg(model, []);
    expect(svg).toContain('a &lt; b &amp; &quot;c&quot;');
    expect(svg).toContain('<rect x="10" y="20" width="100" height="50"');
    expect(svg).toContain('<polyline points="200 0 250 150"');
  });

  it('round-trips JSON and refuses files that are not canvases', () => {
    expect(readCanvasFile(toJson(model))).toEqual(model.toJSON());
    expect(() => readCanvasFile('{"objects":{}}')).toThrow('Not a CollabCanvas JSON file.');
  });
});
