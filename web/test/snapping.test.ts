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
    expect(snap({ x: 110, y: 400, width: 20, height: 20 }, [other], 5)).toEqual({ dx: 0, dy: 0, vertical: [], horizontal: [] });
    expect(snap({ x: 96, y: 400, width: 2, height: 2 }, [other, { x: 99, y: 0, width: 1, height: 1 }], 5).dx).toBe(1);
  });
});
