import { describe, expect, it } from 'vitest';
import { snap } from '../src/editor/snapping';

describe('snap', () => {
  const other = { x: 100, y: 100, width: 100, height: 50 };

  it('lines up left edges, centres and right edges within the threshold', () => {
    expect(snap({ x: 103, y: 400, width: 20, height: 20 }, [other], 5)).toMatchObject({ dx: -3, dy: 0, vertical: [100] });
    expect(snap({ x: 138, y: 400, width: 20, height: 20 }, [other], 5)).toMatchObject({ dx: 2, vertical: [150] }); // centre 148 → 150
    expect(snap({ x: 400, y: 147, width: 20, height: 10 }, [other], 5)).toMatchObject({ dy: -2, horizontal: [150] }); // centre 152 → bottom 150
  });

  it('does not snap beyond the threshold, and prefers the closest line', () => {
    expect(snap({ x: 110, y: 400, width: 20, height: 20 }, [other], 5)).toEqual({ dx: 0, dy: 0, vertical: [], horizontal: [], gaps: [] });
    expect(snap({ x: 96, y: 400, width: 2, height: 2 }, [other, { x: 99, y: 0, width: 1, height: 1 }], 5).dx).toBe(1);
  });

  it('spaces a box equally beside two others in a row, with the gaps to show', () => {
    const a = { x: 0, y: 0, width: 100, height: 100 }, b = { x: 200, y: 0, width: 100, height: 100 };
    // Right of b at b's gap to a (100): x 400, from 404.
    const right = snap({ x: 404, y: 20, width: 100, height: 100 }, [a, b], 6);
    expect(right.dx).toBe(-4);
    expect(right.vertical).toEqual([]);
    expect(right.gaps).toEqual([{ x1: 100, y1: 50, x2: 200, y2: 50 }, { x1: 300, y1: 60, x2: 400, y2: 60 }]);
    // Centred between a and b: a box 50 wide at 125, from 122.
    const between = snap({ x: 122, y: 0, width: 50, height: 50 }, [a, b], 6);
    expect(between.dx).toBe(3);
    expect(between.gaps.map(g => [g.x1, g.x2])).toEqual([[100, 125], [175, 200]]);
  });

  it('spaces vertically too, and not with boxes that share nothing across the axis', () => {
    const a = { x: 0, y: 0, width: 100, height: 100 }, b = { x: 0, y: 150, width: 100, height: 100 };
    expect(snap({ x: 10, y: 297, width: 80, height: 40 }, [a, b], 6)).toMatchObject({ dy: 3, gaps: [{ x1: 50, y1: 100, x2: 50, y2: 150 }, { x1: 50, y1: 250, x2: 50, y2: 300 }] });
    expect(snap({ x: 500, y: 297, width: 80, height: 40 }, [a, b], 6).gaps).toEqual([]);
  });
});
