// Snapping a moving box to other objects' edges and centres, with the guide lines to show where it snapped.
export interface Box { x: number; y: number; width: number; height: number }
export interface Snap { dx: number; dy: number; vertical: number[]; horizontal: number[] }

const lines = (start: number, size: number) => [start, start + size / 2, start + size];

/** The smallest move (within `threshold`, per axis) that lines up an edge or centre of `moving` with one of `others`. */
export function snap(moving: Box, others: Iterable<Box>, threshold: number): Snap {
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
  return {
    dx: bestX?.delta ?? 0,
    dy: bestY?.delta ?? 0,
    vertical: bestX ? [bestX.at] : [],
    horizontal: bestY ? [bestY.at] : [],
  };
}
