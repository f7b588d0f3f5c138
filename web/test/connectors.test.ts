import { describe, expect, it } from 'vitest';
import vectors from '../../tests/vectors/connector-geometry.json';
import { anchorIn, anchorOf, contains, drawnPoints } from '../src/sync/connectors';
import { CanvasModel } from '../src/sync/model';
import type { CanvasObject, Op } from '../src/sync/protocol';

describe('drawn points of connectors (the same cases as Core)', () => {
  for (const c of vectors.cases) {
    it(c.name, () => {
      const model = new CanvasModel();
      model.apply(Object.entries(c.objects).map(([id, props]) => ({ op: 'put', id, props }) as Op));
      expect(drawnPoints(model.get(c.connector)!, model) ?? null).toEqual(c.points);
    });
  }
});

describe('binding a point to a box', () => {
  const turned: CanvasObject = { type: 'rect', x: 100, y: 50, width: 200, height: 80, rotation: 30 };

  it('gives the anchor that draws back at the same point, in a turned box', () => {
    const point = anchorOf({ id: 'r', ...anchorIn(turned, { x: 150, y: 120 })! }, { get: () => turned })!;
    expect(point.x).toBeCloseTo(150, 1);
    expect(point.y).toBeCloseTo(120, 1);
  });

  it('keeps the anchor inside the box, and finds what a point lies on', () => {
    expect(anchorIn(turned, { x: -500, y: -500 })).toEqual({ x: 0, y: 0 });
    expect(anchorIn({ type: 'text', x: 0, y: 0 }, { x: 1, y: 1 })).toBeUndefined();
    expect(contains(turned, { x: 150, y: 120 })).toBe(true);
    expect(contains(turned, { x: 290, y: 55 })).toBe(false); // inside the unturned box, outside the turned one
    const ellipse: CanvasObject = { type: 'ellipse', x: 0, y: 0, width: 100, height: 100 };
    expect(contains(ellipse, { x: 50, y: 50 })).toBe(true);
    expect(contains(ellipse, { x: 5, y: 5 })).toBe(false); // in the box's corner, off the ellipse
  });
});
