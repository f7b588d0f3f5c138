import { describe, expect, it } from 'vitest';
import { intersects, SpatialIndex, type Bounds } from '../src/editor/spatialIndex';

describe('SpatialIndex', () => {
  it('finds exactly the boxes a rectangle meets, as a test of every box would, through moves and removals', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const randomBox = (): Bounds => {
      // Mostly small boxes, some spanning many cells, a few larger than the index spreads over cells.
      const size = random() < 0.9 ? 80 : random() < 0.8 ? 3000 : 200_000;
      return { x: (random() - 0.5) * 20_000, y: (random() - 0.5) * 20_000, width: random() * size, height: random() * size };
    };
    const index = new SpatialIndex();
    const boxes = new Map<string, Bounds>();
    for (let i = 0; i < 3000; i++) {
      const id = `o${Math.floor(random() * 1000)}`;
      if (random() < 0.2) { index.remove(id); boxes.delete(id); continue; }
      const box = randomBox();
      index.set(id, box);
      boxes.set(id, box);
      if (i % 50 === 0) {
        const view = random() < 0.9 ? { x: (random() - 0.5) * 20_000, y: (random() - 0.5) * 20_000, width: 1280, height: 800 } : { x: -1e6, y: -1e6, width: 2e6, height: 2e6 };
        const expected = [...boxes].filter(([, b]) => intersects(b, view)).map(([k]) => k).sort();
        expect([...index.query(view)].sort()).toEqual(expected);
      }
    }
  });
});
