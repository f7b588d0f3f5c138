// A uniform grid of boxes in canvas units: which objects may meet a rectangle, without a test per object. Panning a
// canvas of 10,000 objects asks it once per move; the answer is the few hundred around the view.

export interface Bounds { x: number; y: number; width: number; height: number }

/** 512 units: a screenful at 100% is a handful of cells, a canvas of 10,000 objects a few hundred. */
const CELL = 512;
/** A box over more cells than this (a huge frame, a view zoomed far out) is not spread over cells but tested alone. */
const MAX_CELLS = 4096;

export function intersects(a: Bounds, b: Bounds): boolean {
  return a.x <= b.x + b.width && a.x + a.width >= b.x && a.y <= b.y + b.height && a.y + a.height >= b.y;
}

export class SpatialIndex {
  private readonly cells = new Map<string, Set<string>>();
  private readonly boxes = new Map<string, Bounds>();
  /** The boxes too large for cells. */
  private readonly large = new Set<string>();

  get(id: string): Bounds | undefined { return this.boxes.get(id); }

  get size(): number { return this.boxes.size; }

  /** A box around every box; null when there are none. */
  extent(): Bounds | null {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const b of this.boxes.values()) {
      x0 = Math.min(x0, b.x); y0 = Math.min(y0, b.y); x1 = Math.max(x1, b.x + b.width); y1 = Math.max(y1, b.y + b.height);
    }
    return this.boxes.size === 0 ? null : { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  }

  set(id: string, box: Bounds): void {
    const old = this.boxes.get(id);
    if (old && sameCells(old, box)) { this.boxes.set(id, box); return; }
    if (old) this.remove(id);
    this.boxes.set(id, box);
    if (cellCount(box) > MAX_CELLS) { this.large.add(id); return; }
    forCells(box, key => {
      let cell = this.cells.get(key);
      if (!cell) this.cells.set(key, (cell = new Set()));
      cell.add(id);
    });
  }

  remove(id: string): void {
    const old = this.boxes.get(id);
    if (!old) return;
    this.boxes.delete(id);
    if (this.large.delete(id)) return;
    forCells(old, key => {
      const cell = this.cells.get(key);
      cell?.delete(id);
      if (cell?.size === 0) this.cells.delete(key);
    });
  }

  /** The ids whose boxes meet `view`. */
  query(view: Bounds): Set<string> {
    const found = new Set<string>();
    for (const id of this.large) if (intersects(this.boxes.get(id)!, view)) found.add(id);
    if (cellCount(view) > MAX_CELLS) {
      for (const [id, box] of this.boxes) if (intersects(box, view)) found.add(id);
      return found;
    }
    forCells(view, key => {
      for (const id of this.cells.get(key) ?? []) if (!found.has(id) && intersects(this.boxes.get(id)!, view)) found.add(id);
    });
    return found;
  }
}

function range(box: Bounds): [number, number, number, number] {
  return [Math.floor(box.x / CELL), Math.floor(box.y / CELL), Math.floor((box.x + box.width) / CELL), Math.floor((box.y + box.height) / CELL)];
}

function sameCells(a: Bounds, b: Bounds): boolean {
  const ra = range(a), rb = range(b);
  return ra[0] === rb[0] && ra[1] === rb[1] && ra[2] === rb[2] && ra[3] === rb[3];
}

function cellCount(box: Bounds): number {
  const [x0, y0, x1, y1] = range(box);
  return (x1 - x0 + 1) * (y1 - y0 + 1);
}

/** Calls `visit` with the key of every cell the box meets. */
function forCells(box: Bounds, visit: (key: string) => void): void {
  const [x0, y0, x1, y1] = range(box);
  for (let cx = x0; cx <= x1; cx++) for (let cy = y0; cy <= y1; cy++) visit(`${cx},${cy}`);
}
