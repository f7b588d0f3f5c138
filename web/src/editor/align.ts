// Align and distribute a multi-selection by the boxes the objects are drawn in (a turned shape by its turned outline),
// as Figma does: align lines up edges or centres on the selection's own box, distribute makes the gaps between
// neighbours equal while the outermost two stay. Each is one change, so one undo step.
import type Konva from 'konva';
import type { CanvasModel } from '../sync/model';
import type { Op } from '../sync/protocol';
import { SHORTCUTS, readableKeys, type AlignCommand } from './tools';

export interface Box { x: number; y: number; width: number; height: number }
export interface Move { dx: number; dy: number }

const round = (n: number) => Math.round(n * 100) / 100;

/** How far each box moves (boxes that stay are left out). Align needs two boxes, distribute three. */
export function arrange(boxes: ReadonlyMap<string, Box>, how: AlignCommand): Map<string, Move> {
  const moves = new Map<string, Move>();
  const all = [...boxes];
  if (all.length < 2) return moves;
  const left = Math.min(...all.map(([, b]) => b.x)), right = Math.max(...all.map(([, b]) => b.x + b.width));
  const top = Math.min(...all.map(([, b]) => b.y)), bottom = Math.max(...all.map(([, b]) => b.y + b.height));
  const horizontal = (id: string, x: number) => { const dx = x - boxes.get(id)!.x; if (dx !== 0) moves.set(id, { dx, dy: 0 }); };
  const vertical = (id: string, y: number) => { const dy = y - boxes.get(id)!.y; if (dy !== 0) moves.set(id, { dx: 0, dy }); };
  for (const [id, b] of all) {
    if (how === 'align-left') horizontal(id, left);
    else if (how === 'align-center') horizontal(id, (left + right) / 2 - b.width / 2);
    else if (how === 'align-right') horizontal(id, right - b.width);
    else if (how === 'align-top') vertical(id, top);
    else if (how === 'align-middle') vertical(id, (top + bottom) / 2 - b.height / 2);
    else if (how === 'align-bottom') vertical(id, bottom - b.height);
  }
  if (how === 'distribute-horizontal') distribute(all, 'x', 'width', horizontal);
  if (how === 'distribute-vertical') distribute(all, 'y', 'height', vertical);
  return moves;
}

/** Orders the boxes along one axis (by their centres) and places them one after another with equal gaps. */
function distribute(all: [string, Box][], at: 'x' | 'y', size: 'width' | 'height', place: (id: string, to: number) => void): void {
  if (all.length < 3) return;
  const sorted = [...all].sort(([, a], [, b]) => a[at] + a[size] / 2 - (b[at] + b[size] / 2));
  const first = sorted[0][1], last = sorted[sorted.length - 1][1];
  const span = last[at] + last[size] - first[at];
  const gap = (span - sorted.reduce((sum, [, b]) => sum + b[size], 0)) / (sorted.length - 1);
  let next = first[at];
  for (const [id, b] of sorted) {
    place(id, next);
    next += b[size] + gap;
  }
}

/**
 * The ops that align or distribute `ids` (objects inside another of them move with it, not on their own); a frame
 * carries what is inside it.
 */
export function arrangeOps(model: CanvasModel, ids: readonly string[], boxOf: (id: string) => Box | undefined, how: AlignCommand,
  descendantsOf: (id: string) => string[]): Op[] {
  const chosen = new Set(ids);
  const boxes = new Map<string, Box>();
  for (const id of ids) {
    let inside = false;
    for (let p = model.get(id)?.parentId; typeof p === 'string'; p = model.get(p)?.parentId) if (chosen.has(p)) inside = true;
    const box = boxOf(id);
    if (!inside && box) boxes.set(id, box);
  }
  const ops: Op[] = [];
  for (const [id, { dx, dy }] of arrange(boxes, how)) {
    for (const moved of [id, ...descendantsOf(id)]) {
      const obj = model.get(moved);
      if (!obj) continue;
      ops.push({ op: 'put', id: moved, props: { x: round((obj.x as number ?? 0) + dx), y: round((obj.y as number ?? 0) + dy) } });
    }
  }
  return ops;
}

/**
 * The box a node is drawn in, in canvas units: a shape's outline without its stroke (two rectangles of different
 * strokes align by their geometry, as in Figma), but a line's with it (its stroke is all there is of it).
 */
export function drawnBox(node: Konva.Shape, relativeTo: Konva.Container): Box {
  const type = node.getAttr('objectType');
  return node.getClientRect({ relativeTo, skipStroke: !(type === 'line' || type === 'arrow' || type === 'path') });
}

/** The toolbar's buttons: what each does and a small drawing of it. */
export const ARRANGE_BUTTONS: { command: AlignCommand; label: string; icon: string }[] = [
  { command: 'align-left', label: 'Align left', icon: 'M4 3v18M8 7h10M8 14h6' },
  { command: 'align-center', label: 'Align horizontal centres', icon: 'M12 3v18M6 7h12M8 14h8' },
  { command: 'align-right', label: 'Align right', icon: 'M20 3v18M6 7h10M10 14h6' },
  { command: 'align-top', label: 'Align top', icon: 'M3 4h18M7 8v10M14 8v6' },
  { command: 'align-middle', label: 'Align vertical middles', icon: 'M3 12h18M7 6v12M14 8v8' },
  { command: 'align-bottom', label: 'Align bottom', icon: 'M3 20h18M7 6v10M14 10v6' },
  { command: 'distribute-horizontal', label: 'Distribute horizontally', icon: 'M4 3v18M20 3v18M10 8v8M14 8v8' },
  { command: 'distribute-vertical', label: 'Distribute vertically', icon: 'M3 4h18M3 20h18M8 10h8M8 14h8' },
];

/**
 * A row of align and distribute buttons, shown above the style panel when two or more movable objects are selected.
 * @param run does a command on the current selection.
 */
export class ArrangeBar {
  readonly element = document.createElement('div');

  constructor(run: (command: AlignCommand) => void) {
    this.element.className = 'arrange';
    this.element.setAttribute('role', 'toolbar');
    this.element.setAttribute('aria-label', 'Align and distribute');
    this.element.hidden = true;
    for (const { command, label, icon } of ARRANGE_BUTTONS) {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.arrange = command;
      button.setAttribute('aria-label', label);
      button.dataset.tooltip = label;
      const keys = SHORTCUTS.find(s => s.command === command)?.keys;
      if (keys) button.dataset.shortcut = readableKeys(keys);
      button.innerHTML = `<svg viewBox="0 0 24 24" aria-hidden="true"><path d="${icon}"/></svg>`;
      button.addEventListener('click', () => run(command));
      this.element.append(button);
    }
  }

  /** Shown for two or more movable objects; distribute needs three. */
  show(movable: number): void {
    this.element.hidden = movable < 2;
    for (const button of this.element.querySelectorAll<HTMLButtonElement>('button'))
      button.disabled = button.dataset.arrange!.startsWith('distribute') && movable < 3;
  }
}
