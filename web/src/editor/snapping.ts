// Snapping a moving box to other objects' edges and centres, and to equal spacing beside them, with the guides to show
// where it snapped: full lines through the edges or centres it lines up with, and segments over the equal gaps.
export interface Box { x: number; y: number; width: number; height: number }
/** A stretch of a guide, from (x1, y1) to (x2, y2), in canvas units. */
export interface Segment { x1: number; y1: number; x2: number; y2: number }
export interface Snap { dx: number; dy: number; vertical: number[]; horizontal: number[]; gaps: Segment[] }

const lines = (start: number, size: number) => [start, start + size / 2, start + size];

/** One axis of a box: where it starts and how long it is along the axis, and the same across it. */
interface Span { at: number; size: number; across: number; depth: number }
const along = (b: Box, vertical: boolean): Span =>
  vertical ? { at: b.y, size: b.height, across: b.x, depth: b.width } : { at: b.x, size: b.width, across: b.y, depth: b.height };

/** A move along one axis that makes equal gaps, and the gaps it makes (as along/across coordinates). */
interface Spacing { delta: number; gaps: [from: number, to: number, across: number][] }

/**
 * Equal spacing along one axis, among the boxes that share some of the moving box's extent across it: centred between
 * its nearest neighbours on either side, or beside one neighbour at the gap that neighbour keeps with the next one.
 */
function spacing(moving: Span, others: Span[], threshold: number): Spacing | null {
  const band = others.filter(o => o.across < moving.across + moving.depth && o.across + o.depth > moving.across);
  const middle = moving.at + moving.size / 2;
  const before = band.filter(o => o.at + o.size <= middle).sort((a, b) => b.at + b.size - (a.at + a.size)); // nearest first
  const after = band.filter(o => o.at >= middle).sort((a, b) => a.at - b.at);
  const mid = (a: Span, b: Span) => (Math.max(a.across, b.across) + Math.min(a.across + a.depth, b.across + b.depth)) / 2;
  const midWith = (o: Span) => (Math.max(o.across, moving.across) + Math.min(o.across + o.depth, moving.across + moving.depth)) / 2;
  let best: Spacing | null = null;
  const consider = (to: number, gaps: Spacing['gaps']) => {
    const delta = to - moving.at;
    if (Math.abs(delta) <= threshold && (!best || Math.abs(delta) < Math.abs(best.delta))) best = { delta, gaps };
  };
  const [left, right] = [before[0], after[0]];
  if (left && right) {
    const to = (left.at + left.size + right.at - moving.size) / 2;
    consider(to, [[left.at + left.size, to, midWith(left)], [to + moving.size, right.at, midWith(right)]]);
  }
  const farLeft = left && before.find(o => o.at + o.size <= left.at);
  if (left && farLeft) {
    const gap = left.at - (farLeft.at + farLeft.size);
    const to = left.at + left.size + gap;
    consider(to, [[farLeft.at + farLeft.size, left.at, mid(farLeft, left)], [left.at + left.size, to, midWith(left)]]);
  }
  const farRight = right && after.find(o => o.at >= right.at + right.size);
  if (right && farRight) {
    const gap = farRight.at - (right.at + right.size);
    const to = right.at - gap - moving.size;
    consider(to, [[to + moving.size, right.at, midWith(right)], [right.at + right.size, farRight.at, mid(right, farRight)]]);
  }
  return best;
}

/**
 * The smallest move (within `threshold`, per axis) that lines up an edge or centre of `moving` with one of `others`,
 * or that makes equal gaps with them, whichever is nearer.
 */
export function snap(moving: Box, iterable: Iterable<Box>, threshold: number): Snap {
  const others = [...iterable];
  let bestX: { delta: number; at: number } | null = null;
  let bestY: { delta: number; at: number } | null = null;
  for (const other of others) {
    for (const target of lines(other.x, other.width)) {
      for (const own of lines(moving.x, moving.width)) {
        const delta = target - own;
        if (Math.abs(delta) <= threshold && (!bestX || Math.abs(delta) < Math.abs(bestX.delta))) bestX = { delta, at: target };
      }
    }
    for (const target of lines(other.y, other.height)) {
      for (const own of lines(moving.y, moving.height)) {
        const delta = target - own;
        if (Math.abs(delta) <= threshold && (!bestY || Math.abs(delta) < Math.abs(bestY.delta))) bestY = { delta, at: target };
      }
    }
  }
  const result: Snap = { dx: bestX?.delta ?? 0, dy: bestY?.delta ?? 0, vertical: bestX ? [bestX.at] : [], horizontal: bestY ? [bestY.at] : [], gaps: [] };
  // Equal gaps are measured where the box will be on the other axis (after its own snap there).
  const placed = { ...moving, x: moving.x + result.dx, y: moving.y + result.dy };
  const spacedX = spacing(along({ ...moving, y: placed.y }, false), others.map(o => along(o, false)), threshold);
  if (spacedX && (!bestX || Math.abs(spacedX.delta) < Math.abs(bestX.delta))) {
    result.dx = spacedX.delta;
    result.vertical = [];
    result.gaps.push(...spacedX.gaps.map(([from, to, across]) => ({ x1: from, y1: across, x2: to, y2: across })));
  }
  const spacedY = spacing(along({ ...moving, x: moving.x + result.dx }, true), others.map(o => along(o, true)), threshold);
  if (spacedY && (!bestY || Math.abs(spacedY.delta) < Math.abs(bestY.delta))) {
    result.dy = spacedY.delta;
    result.horizontal = [];
    result.gaps.push(...spacedY.gaps.map(([from, to, across]) => ({ x1: across, y1: from, x2: across, y2: to })));
  }
  return result;
}
