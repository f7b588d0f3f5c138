// The layers panel (with the eye of visibility.ts), and lock. Lock: a locked object stays where it is drawn but the canvas does not take it: a press on it is a press on what is
// behind it (the background starts a marquee), a marquee and Select all leave it out, and no drag, handle, nudge or
// alignment moves it. It can still be selected in the layers panel (to unlock it, rename it, reorder it).
import type { CanvasModel } from '../sync/model';
import type { CanvasObject, Op } from '../sync/protocol';
import { TYPE_NAMES } from './properties';
import { readableKeys } from './tools';
import { compareStacking, keyBetween } from './zindex';
import { isHidden, toggleHiddenOps } from './visibility';

export const isLocked = (obj: CanvasObject | undefined): boolean => obj?.locked === true;

/** The ids of `ids` that the canvas may move: those not locked. */
export const movable = (model: CanvasModel, ids: readonly string[]): string[] => ids.filter(id => !isLocked(model.get(id)));

/**
 * Locks every object of `ids` when any is unlocked, otherwise unlocks them all (as Figma's Ctrl+Shift+L); with none,
 * unlocks every locked object (the canvas cannot select a locked one to unlock it).
 */
export function toggleLockOps(model: CanvasModel, ids: readonly string[]): Op[] {
  if (ids.length === 0) ids = [...model.entries()].filter(([, obj]) => isLocked(obj)).map(([id]) => id);
  const lock = ids.some(id => !isLocked(model.get(id)));
  return ids.filter(id => model.has(id)).map(id => ({ op: 'put' as const, id, props: { locked: lock ? true : null } }));
}

/**
 * One line of the layers panel: an object, how deep in frames and groups it is, and whether it holds others; or a
 * group (groups.ts), a folder of its members under one parent, whose row id (`group:PARENT:GROUP`) no object id can be
 * (ids have no colon).
 */
export type LayerRow =
  | { kind: 'object'; id: string; obj: CanvasObject; depth: number; folder: boolean }
  | { kind: 'group'; id: string; members: string[]; depth: number; folder: true };

/** The objects a row stands for: its object, or a group's members. */
export const rowObjects = (row: LayerRow): string[] => (row.kind === 'group' ? row.members : [row.id]);

const topFirst = (model: CanvasModel) => (a: string, b: string) =>
  compareStacking({ id: b, ...model.get(b)! }, { id: a, ...model.get(a)! });

/**
 * The objects as the panel lists them: the top of the stacking order first, each frame followed by what is inside it;
 * the members of a group that share a parent follow one group row, at the place of the topmost of them.
 */
export function layerRows(model: CanvasModel, collapsed: ReadonlySet<string>): LayerRow[] {
  const children = new Map<string | undefined, string[]>();
  for (const [id, obj] of model.entries()) {
    const parent = typeof obj.parentId === 'string' && model.has(obj.parentId) ? obj.parentId : undefined;
    const siblings = children.get(parent);
    if (siblings) siblings.push(id);
    else children.set(parent, [id]);
  }
  const rows: LayerRow[] = [];
  const add = (id: string, depth: number) => {
    const inside = children.has(id);
    rows.push({ kind: 'object', id, obj: model.get(id)!, depth, folder: inside });
    if (inside && !collapsed.has(id)) visit(id, depth + 1);
  };
  const visit = (parent: string | undefined, depth: number) => {
    const siblings = (children.get(parent) ?? []).sort(topFirst(model));
    const listed = new Set<string>();
    for (const id of siblings) {
      const group = model.get(id)!.groupId;
      if (typeof group !== 'string') { add(id, depth); continue; }
      if (listed.has(group)) continue;
      listed.add(group);
      const row = { kind: 'group' as const, id: `group:${parent ?? ''}:${group}`, members: siblings.filter(m => model.get(m)!.groupId === group), depth, folder: true as const };
      rows.push(row);
      if (!collapsed.has(row.id)) for (const member of row.members) add(member, depth + 1);
    }
  };
  visit(undefined, 0);
  return rows;
}

/**
 * The op that moves `id` to the slot above row `slot` (0: above every row) among its siblings of its own kind (the
 * same parent; frames among frames, as frames are always drawn below other objects): a new `z` between its new
 * neighbours', as the z-order commands write it. None when it would not move.
 */
export function reorderOps(model: CanvasModel, rows: readonly LayerRow[], id: string, slot: number): Op[] {
  const moved = model.get(id);
  if (!moved) return [];
  const isFrame = moved.type === 'frame';
  const siblings = rows.map((row, index) => ({ row, index }))
    .filter((s): s is { row: Extract<LayerRow, { kind: 'object' }>; index: number } => s.row.kind === 'object')
    .filter(({ row }) => (row.obj.parentId ?? null) === (moved.parentId ?? null) && (row.obj.type === 'frame') === isFrame);
  const at = siblings.findIndex(s => s.row.id === id);
  const others = siblings.filter(s => s.row.id !== id);
  const k = others.filter(s => s.index < slot).length;
  if (at >= 0 && k === at) return []; // the same place
  const above = others[k - 1]?.row.obj.z, below = others[k]?.row.obj.z;
  const lower = typeof below === 'string' ? below : undefined, upper = typeof above === 'string' ? above : undefined;
  if (lower !== undefined && upper !== undefined && lower >= upper) return []; // keys written by hand out of order
  return [{ op: 'put', id, props: { z: keyBetween(lower, upper) } }];
}

/** What the panel asks of the editor. */
export interface LayersHost {
  model(): CanvasModel;
  /** Selects these objects (the panel's own clicks: a locked object too). */
  select(ids: string[]): void;
  submit(ops: Op[]): void;
  /** Whether this session may change the canvas (a viewer only looks). */
  editable(): boolean;
  /** Gives the keys back to the canvas (Delete, Ctrl+Shift+L, undo act on what the panel selected). */
  focusCanvas(): void;
}

const ROW_HEIGHT = 28;
/** Padlocks, shut and open, as 24×24 line drawings. */
const LOCKED = 'M8 11V8a4 4 0 0 1 8 0v3M6 11h12v9H6z';
const UNLOCKED = 'M8 11V8a4 4 0 0 1 7.7-1.5M6 11h12v9H6z';
/** An eye, open and struck through. */
const EYE = 'M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12zM12 9.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 1 0 0-5z';
const EYE_SHUT = `${EYE}M4 4l16 16`;
/** Rows built beyond each end of the view, so that a short scroll shows rows at once. */
const OVERSCAN = 8;

/**
 * The layers panel: every object in stacking order, top first, with frames as folders. Only the rows in view exist
 * in the page (a canvas of 10,000 objects has some 30 rows), and the list is worked out again at most once an
 * animation frame, and only while the panel is open.
 */
export class LayersPanel {
  readonly element = document.createElement('aside');
  /** The top bar's button that shows and hides the panel, pressed while it shows. */
  readonly button = layersButton(() => this.toggle());
  private readonly list = document.createElement('div');
  private readonly spacer = document.createElement('div');
  private readonly marker = document.createElement('div');
  private rows: LayerRow[] = [];
  private rowsById = new Map<string, LayerRow>();
  private stale = true;
  private frame = 0;
  private selected = new Set<string>();
  private readonly collapsed = new Set<string>();
  private renaming = false;
  private press: { id: string; y: number; dragging: boolean; pointer: number } | null = null;

  constructor(private readonly host: LayersHost) {
    this.element.className = 'layers';
    this.element.setAttribute('aria-label', 'Layers');
    this.element.hidden = true;
    const heading = document.createElement('h2');
    heading.textContent = 'Layers';
    this.list.className = 'layer-list';
    this.list.setAttribute('role', 'listbox');
    this.list.setAttribute('aria-label', 'Layers');
    this.list.setAttribute('aria-multiselectable', 'true');
    this.spacer.className = 'layer-spacer';
    this.marker.className = 'layer-drop';
    this.marker.hidden = true;
    this.list.append(this.spacer);
    this.element.append(heading, this.list);
    this.list.addEventListener('scroll', () => this.render());
    this.list.addEventListener('pointerdown', e => this.pointerDown(e));
    this.list.addEventListener('pointermove', e => this.pointerMove(e));
    this.list.addEventListener('pointerup', e => this.pointerUp(e));
    this.list.addEventListener('pointercancel', () => this.endDrag());
    this.list.addEventListener('dblclick', e => {
      const row = (e.target as Element).closest<HTMLElement>('.layer');
      if (row && !(e.target as Element).closest('button')) this.rename(row);
    });
    this.list.addEventListener('click', e => {
      const button = (e.target as Element).closest<HTMLButtonElement>('button');
      const row = this.rowsById.get(button?.closest<HTMLElement>('.layer')?.dataset.id ?? '');
      if (!button || !row) return;
      if (button.classList.contains('layer-fold')) {
        if (!this.collapsed.delete(row.id)) this.collapsed.add(row.id);
        this.changed();
      } else if (button.classList.contains('layer-lock') && this.host.editable()) {
        this.host.submit(toggleLockOps(this.host.model(), rowObjects(row)));
      } else if (button.classList.contains('layer-eye') && this.host.editable()) {
        this.host.submit(toggleHiddenOps(this.host.model(), rowObjects(row)));
      }
      this.host.focusCanvas();
    });
  }

  get open(): boolean { return !this.element.hidden; }

  toggle(): void {
    this.element.hidden = !this.element.hidden;
    this.button.setAttribute('aria-pressed', String(this.open));
    this.changed();
  }

  /** The model changed: list it again before the next frame (once, however many changes came meanwhile). */
  changed(): void {
    this.stale = true;
    if (!this.open || this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.render(); });
  }

  /** The canvas's selection changed: mark its rows, and bring a row selected on the canvas into view. */
  showSelection(ids: readonly string[]): void {
    const same = ids.length === this.selected.size && ids.every(id => this.selected.has(id));
    this.selected = new Set(ids);
    if (!this.open || same) return;
    // The rows stay (a press on one goes on to be a click, a double-click or a drag of it); only their marks change.
    for (const row of this.spacer.querySelectorAll<HTMLElement>('.layer')) row.setAttribute('aria-selected', String(this.isSelected(this.rowsById.get(row.dataset.id!))));
    if (this.press || this.stale) return; // chosen here, so in view; or listed anew next frame
    const index = ids.length > 0 ? this.rows.findIndex(r => r.id === ids[0]) : -1;
    const top = index * ROW_HEIGHT;
    if (index >= 0 && (top < this.list.scrollTop || top + ROW_HEIGHT > this.list.scrollTop + this.list.clientHeight))
      this.list.scrollTop = top - this.list.clientHeight / 2; // the scroll event draws the rows there
  }

  private render(): void {
    if (!this.open || this.renaming) return;
    if (this.stale) {
      this.rows = layerRows(this.host.model(), this.collapsed);
      this.rowsById = new Map(this.rows.map(row => [row.id, row]));
      this.stale = false;
    }
    this.spacer.style.height = `${this.rows.length * ROW_HEIGHT}px`;
    const first = Math.max(0, Math.floor(this.list.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(this.rows.length, Math.ceil((this.list.scrollTop + this.list.clientHeight) / ROW_HEIGHT) + OVERSCAN);
    const elements = this.rows.slice(first, last).map((row, i) => this.rowElement(row, first + i));
    this.spacer.replaceChildren(...elements, this.marker);
  }

  /** A row is selected when all it stands for is (a group: every member). */
  private isSelected(row: LayerRow | undefined): boolean {
    return !!row && rowObjects(row).every(id => this.selected.has(id));
  }

  private rowElement(layer: LayerRow, index: number): HTMLElement {
    const { id, depth, folder } = layer;
    const model = this.host.model();
    const objects = rowObjects(layer).map(member => model.get(member)).filter(o => o !== undefined);
    const row = document.createElement('div');
    row.className = layer.kind === 'group' ? 'layer layer-group' : 'layer';
    row.dataset.id = id;
    row.setAttribute('role', 'option');
    row.setAttribute('aria-selected', String(this.isSelected(layer)));
    row.style.top = `${index * ROW_HEIGHT}px`;
    row.style.paddingLeft = `${4 + depth * 16}px`;
    const fold = document.createElement('button');
    fold.type = 'button';
    fold.className = 'layer-fold';
    fold.hidden = !folder;
    fold.textContent = this.collapsed.has(id) ? '▸' : '▾';
    fold.setAttribute('aria-label', this.collapsed.has(id) ? 'Expand' : 'Collapse');
    fold.setAttribute('aria-expanded', String(!this.collapsed.has(id)));
    const name = document.createElement('span');
    name.className = 'layer-name';
    name.textContent = layer.kind === 'group' ? 'Group' : layerName(layer.obj);
    const lock = document.createElement('button');
    lock.type = 'button';
    lock.className = 'layer-lock';
    const locked = objects.every(isLocked);
    lock.setAttribute('aria-pressed', String(locked));
    lock.setAttribute('aria-label', `${locked ? 'Unlock' : 'Lock'} ${name.textContent}`);
    lock.innerHTML = `<svg viewBox="0 0 24 24" aria-hidden="true"><path d="${locked ? LOCKED : UNLOCKED}"/></svg>`;
    lock.disabled = !this.host.editable();
    const eye = document.createElement('button');
    eye.type = 'button';
    eye.className = 'layer-eye';
    const hidden = objects.every(o => o.hidden === true);
    eye.setAttribute('aria-pressed', String(hidden));
    eye.setAttribute('aria-label', `${hidden ? 'Show' : 'Hide'} ${name.textContent}`);
    eye.innerHTML = `<svg viewBox="0 0 24 24" aria-hidden="true"><path d="${hidden ? EYE_SHUT : EYE}"/></svg>`;
    eye.disabled = !this.host.editable();
    // Dimmed when not drawn: hidden itself, or inside a hidden frame.
    if (objects.every(o => isHidden(model, o))) row.classList.add('layer-hidden');
    row.append(fold, name, eye, lock);
    return row;
  }

  /** Double-click on a row: its name becomes a field; Enter or leaving it keeps the name, Esc does not. */
  private rename(row: HTMLElement): void {
    const id = row.dataset.id!;
    const obj = this.host.model().get(id);
    // A group's row has no object: a group is a label its members carry (groups.ts), with no name of its own to keep.
    if (!obj || !this.host.editable()) return;
    const name = row.querySelector<HTMLElement>('.layer-name')!;
    const input = document.createElement('input');
    input.className = 'layer-rename';
    input.setAttribute('aria-label', 'Layer name');
    input.maxLength = 256;
    input.value = layerName(obj);
    name.replaceWith(input);
    this.renaming = true;
    input.focus();
    input.select();
    let done = false;
    const finish = (keep: boolean) => {
      if (done) return;
      done = true;
      this.renaming = false;
      const value = input.value.trim();
      if (keep && this.host.model().has(id) && value !== layerName(obj))
        this.host.submit([{ op: 'put', id, props: { name: value === '' ? null : value } }]);
      this.changed();
      this.render();
      this.host.focusCanvas();
    };
    input.addEventListener('keydown', e => {
      e.stopPropagation();
      if (e.key === 'Enter') finish(true);
      else if (e.key === 'Escape') finish(false);
    });
    input.addEventListener('blur', () => finish(true));
  }

  private pointerDown(e: PointerEvent): void {
    const row = (e.target as Element).closest<HTMLElement>('.layer');
    if (!row || e.button !== 0 || (e.target as Element).closest('button, input')) return;
    e.preventDefault(); // no text selection while dragging
    const layer = this.rowsById.get(row.dataset.id!);
    if (!layer) return;
    this.press = { id: layer.id, y: e.clientY, dragging: false, pointer: e.pointerId };
    const ids = rowObjects(layer);
    if (e.shiftKey || e.ctrlKey || e.metaKey) {
      this.host.select(this.isSelected(layer) ? [...this.selected].filter(s => !ids.includes(s)) : [...new Set([...this.selected, ...ids])]);
    } else if (!this.isSelected(layer)) {
      this.host.select(ids);
    }
  }

  private pointerMove(e: PointerEvent): void {
    if (!this.press || e.pointerId !== this.press.pointer) return;
    if (!this.press.dragging) {
      // A group row is not dragged: its members need not be neighbours in the stacking order, so there is no one place to move.
      if (Math.abs(e.clientY - this.press.y) < 4 || !this.host.editable() || this.rowsById.get(this.press.id)?.kind !== 'object') return;
      this.press.dragging = true;
      this.list.setPointerCapture(e.pointerId);
      this.list.classList.add('dragging');
    }
    this.marker.hidden = false;
    this.marker.style.top = `${this.slotAt(e.clientY) * ROW_HEIGHT - 1}px`;
  }

  private pointerUp(e: PointerEvent): void {
    const press = this.press;
    if (!press) return;
    const layer = this.rowsById.get(press.id);
    if (press.dragging) this.host.submit(reorderOps(this.host.model(), this.rows, press.id, this.slotAt(e.clientY)));
    else if (layer && !(e.shiftKey || e.ctrlKey || e.metaKey)) this.host.select(rowObjects(layer)); // a click on one of several selected
    this.endDrag();
    this.host.focusCanvas();
  }

  private endDrag(): void {
    if (this.press && this.list.hasPointerCapture(this.press.pointer)) this.list.releasePointerCapture(this.press.pointer);
    this.press = null;
    this.marker.hidden = true;
    this.list.classList.remove('dragging');
  }

  /** The gap between rows nearest to a pointer's height: 0 above the first row, `rows.length` below the last. */
  private slotAt(clientY: number): number {
    const y = clientY - this.list.getBoundingClientRect().top + this.list.scrollTop;
    return Math.max(0, Math.min(this.rows.length, Math.round(y / ROW_HEIGHT)));
  }
}

function layersButton(toggle: () => void): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'layers-button';
  button.setAttribute('aria-label', 'Layers');
  button.dataset.tooltip = 'Layers';
  button.dataset.shortcut = readableKeys('Alt+l');
  button.innerHTML = '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 3l9 5-9 5-9-5zM3 13l9 5 9-5"/></svg>';
  button.addEventListener('click', toggle);
  return button;
}

/** A layer's name: its own, or a text's first words, or its type's name. */
export function layerName(obj: CanvasObject): string {
  if (typeof obj.name === 'string' && obj.name !== '') return obj.name;
  if (obj.type === 'text' && typeof obj.text === 'string' && obj.text.trim() !== '') return obj.text.trim().split('\n')[0].slice(0, 40);
  return TYPE_NAMES[obj.type];
}
