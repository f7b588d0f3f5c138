// Keeps the Konva layer in step with the local model, cheaply on a canvas of 10,000 objects:
// - only objects in (or near) the view have Konva nodes, built when they first come into view (lazily), so opening a
//   big canvas builds a screenful, not every node; a box per object estimated from its props, in a spatial index,
//   says which objects the view meets without a node or a test per object;
// - a pan or zoom touches only the nodes that enter or leave the view;
// - a change touches only the objects that changed, and moves a node in the stacking order by a binary search, not
//   by sorting every node;
// - the hit canvas (what the pointer is over) is drawn when the pointer asks, not on every frame of a pan, and a
//   wheel (pan, zoom) does not ask;
// - from 2,000 objects on, the layer draws from a bitmap of a region around the view (or of the whole canvas when
//   zoomed out), so a pan draws one image, and a change draws again only the part of the bitmap it touched;
// - a hidden object (visibility.ts) has no node and no box in the index, so no path draws, hits, culls or exports it.
// docs/architecture.md, "Big canvases", says why and what it costs.
import Konva from 'konva';
import { SceneCanvas } from 'konva/lib/Canvas';
import type { CanvasModel } from '../sync/model';
import { BindingIndex, asDrawn } from '../sync/connectors';
import type { CanvasObject } from '../sync/protocol';
import type { Palette } from './colors';
import { SHAPES, TEXT_DEFAULTS, DEFAULT_STROKE_WIDTH } from './shapes';
import { compareStacking, type Stacked } from './zindex';
import { intersects, SpatialIndex, type Bounds } from './spatialIndex';
import { descendantsOf } from './structure';
import { isHidden } from './visibility';

/** A bitmap larger than this many pixels is not kept (memory); the layer draws its nodes instead. */
const MAX_SNAPSHOT_PIXELS = 32_000_000;
/** More regions than this changed in one frame are drawn again as one region around them all. */
const MAX_DIRTY_REGIONS = 64;

/**
 * The canvas's content layer, drawn cheaply in two ways:
 * - Konva draws a layer's hit canvas with every scene draw, which doubles the cost of every frame of a pan; this one
 *   marks it stale instead and draws it when a pointer event reads it.
 * - On a big canvas (the renderer decides: `useSnapshot`) it keeps a bitmap of a region around the view, or of the
 *   whole canvas when zoomed out to see most of it, at the current zoom, and a pan only moves that bitmap: one image
 *   drawn per frame instead of hundreds or thousands of shapes. A change the renderer made draws again only the part
 *   of the bitmap it touched (`changed`); any other change to a node (a drag, the handles' resize) or a new zoom draws
 *   the whole bitmap again.
 */
export class ContentLayer extends Konva.Layer {
  private hitStale = false;
  private snapshot: { canvas: SceneCanvas; box: Bounds; scale: number; stale: boolean; dirty: Bounds[] } | null = null;
  private quiet = 0;
  /** Where the bitmap was last copied to the screen (device pixels) and the screen's size then. */
  private onScreen: { x: number; y: number; width: number; height: number; bitmap: HTMLCanvasElement } | null = null;
  /** The built, visible nodes that meet a box (canvas units), set by the renderer. */
  nodesIn: (box: Bounds) => Konva.Shape[] = () => [];

  override drawHit(can?: Parameters<Konva.Layer['drawHit']>[0], top?: Konva.Node): this {
    if (can || top) return super.drawHit(can, top);
    this.hitStale = true;
    return this;
  }

  override getIntersection(pos: Konva.Vector2d): Konva.Shape | null {
    if (this.hitStale) {
      this.hitStale = false;
      super.drawHit();
    }
    return super.getIntersection(pos);
  }

  /** Draws from a bitmap of everything within `box` (canvas units), or (null) from the nodes. */
  useSnapshot(box: Bounds | null): void {
    if (!box) { this.snapshot = null; return; }
    const kept = this.snapshot;
    if (kept && kept.box.x === box.x && kept.box.y === box.y && kept.box.width === box.width && kept.box.height === box.height) return;
    this.snapshot = { canvas: kept?.canvas ?? new SceneCanvas({ width: 1, height: 1, pixelRatio: this.getCanvas().getPixelRatio() }), box, scale: 0, stale: true, dirty: [] };
  }

  /** Runs the renderer's change of nodes; the bitmap draws only `regions` (canvas units) again. */
  changed(regions: Bounds[], change: () => void): void {
    this.quiet++;
    try { change(); } finally { this.quiet--; }
    if (!this.snapshot) return;
    const dirty = this.snapshot.dirty;
    for (let region of regions) {
      // One that meets a region already there is merged into it: a move's old and new box, or a restack's box (twice),
      // is drawn and copied to the screen once.
      for (let i = dirty.length - 1; i >= 0; i--) {
        if (intersects(dirty[i], region)) { region = union([dirty[i], region]); dirty.splice(i, 1); }
      }
      dirty.push(region);
    }
    // Many small regions (a peer moving twenty objects, twice in a frame): one region around them all.
    if (dirty.length > MAX_DIRTY_REGIONS) dirty.splice(0, dirty.length, union(dirty));
  }

  override _notifySubtreeChange(): void {
    if (this.quiet === 0 && this.snapshot) this.snapshot.stale = true;
    super._notifySubtreeChange();
  }

  override drawScene(can?: SceneCanvas, top?: Konva.Node): this {
    const snapshot = this.snapshot;
    if (can || top || !snapshot) { this.onScreen = null; return super.drawScene(can, top); }
    const stage = this.getStage(), scale = stage.scaleX();
    // Where the bitmap's corner is on screen (logical pixels).
    const left = snapshot.box.x * scale + stage.x(), topEdge = snapshot.box.y * scale + stage.y();
    const ratio = this.getCanvas().getPixelRatio();
    const width = Math.ceil(snapshot.box.width * scale) + 2, height = Math.ceil(snapshot.box.height * scale) + 2;
    if (width * height * ratio * ratio > MAX_SNAPSHOT_PIXELS) { this.snapshot = null; this.onScreen = null; return super.drawScene(); }
    const context = snapshot.canvas.getContext();
    /** The parts of the bitmap drawn again (screen rectangles, logical pixels), or null when all of it was. */
    let redrawn: Bounds[] | null = [];
    if (snapshot.stale || snapshot.scale !== scale) {
      snapshot.canvas.setSize(width, height);
      context.clear();
      context.save();
      context.translate(-left + 1, -topEdge + 1);
      Konva.Container.prototype.drawScene.call(this, snapshot.canvas);
      context.restore();
      snapshot.stale = false;
      snapshot.scale = scale;
      redrawn = null;
    } else {
      for (const region of snapshot.dirty) {
        const r = { x: region.x * scale + stage.x() - 2, y: region.y * scale + stage.y() - 2, width: region.width * scale + 4, height: region.height * scale + 4 };
        redrawn.push(r);
        context.save();
        context.translate(-left + 1, -topEdge + 1);
        context.beginPath();
        context.rect(r.x, r.y, r.width, r.height);
        context.clip();
        context.clearRect(r.x, r.y, r.width, r.height);
        const nodes = this.nodesIn({ x: region.x - 2 / scale, y: region.y - 2 / scale, width: region.width + 4 / scale, height: region.height + 4 / scale });
        for (const node of nodes.sort((a, b) => a.index - b.index)) node.drawScene(snapshot.canvas);
        context.restore();
      }
    }
    snapshot.dirty = [];
    const screen = this.getCanvas().getContext()._context;
    const bitmap = snapshot.canvas._canvas;
    const at = { x: Math.round((left - 1) * ratio), y: Math.round((topEdge - 1) * ratio), width: screen.canvas.width, height: screen.canvas.height, bitmap };
    const kept = this.onScreen;
    screen.save();
    screen.setTransform(1, 0, 0, 1, 0, 0);
    if (redrawn && kept && kept.x === at.x && kept.y === at.y && kept.width === at.width && kept.height === at.height && kept.bitmap === bitmap) {
      // The screen shows this bitmap where it was: only the parts drawn again are copied (a whole screenful costs
      // more than the change).
      for (const r of redrawn) {
        const x0 = Math.max(0, at.x, Math.floor(r.x * ratio)), y0 = Math.max(0, at.y, Math.floor(r.y * ratio));
        const x1 = Math.min(at.width, at.x + bitmap.width, Math.ceil((r.x + r.width) * ratio)), y1 = Math.min(at.height, at.y + bitmap.height, Math.ceil((r.y + r.height) * ratio));
        if (x1 <= x0 || y1 <= y0) continue;
        screen.clearRect(x0, y0, x1 - x0, y1 - y0);
        screen.drawImage(bitmap, x0 - at.x, y0 - at.y, x1 - x0, y1 - y0, x0, y0, x1 - x0, y1 - y0);
      }
    } else {
      screen.clearRect(0, 0, at.width, at.height);
      screen.drawImage(bitmap, at.x, at.y);
    }
    screen.restore();
    this.onScreen = at;
    return this;
  }
}

/**
 * A layer over the content (the selection's handles, peers' cursors, an AI command's preview), empty most of the time.
 * Chromium without a GPU hands every canvas of the page to its compositor again in every frame, drawn or not: an empty
 * layer would cost as much per frame (a remote change, a step of a pan) as the content's. Its canvas leaves the page
 * while it draws nothing.
 */
export class OverlayLayer extends Konva.Layer {
  private readonly shown = this.getCanvas()._canvas.style.display;

  constructor(config?: Konva.LayerConfig) {
    super(config);
    this.getCanvas()._canvas.style.display = 'none'; // until it draws something
  }

  override drawScene(can?: SceneCanvas, top?: Konva.Node): this {
    super.drawScene(can, top);
    if (!can && !top) {
      const style = this.getCanvas()._canvas.style, display = drawsSomething(this) ? this.shown : 'none';
      if (style.display !== display) style.display = display;
    }
    return this;
  }
}

function drawsSomething(node: Konva.Node): boolean {
  if (!node.visible()) return false;
  if (node instanceof Konva.Transformer) return node.nodes().length > 0;
  if (node instanceof Konva.Container) return node.getChildren().some(drawsSomething);
  return true;
}

/** The objects' nodes, built on first use: whoever asks for an object's node (the selection's handles, a peer's selection) gets it. */
export interface Nodes {
  get(id: string): Konva.Shape | undefined;
  /** Every object's node (builds them all). */
  values(): IterableIterator<Konva.Shape>;
}

/** Below this many objects every frame draws the nodes in view; a bitmap would not pay off. */
const SNAPSHOT_MIN_OBJECTS = 2000;
/** The bitmap holds the whole canvas while that is at most this many screens at the current zoom. */
const WHOLE_MAX_SCREENS = 4;
/** Otherwise it holds the view and this much of the view's size beyond each edge, drawn again when the view leaves it. */
const REGION_MARGIN = 0.5;
/** How long the zoom must stay put before the bitmap is drawn at the new zoom. */
const ZOOM_SETTLE_MS = 150;

export class Renderer {
  private readonly built = new Map<string, Konva.Shape>();
  /** Boxes in canvas units: a node's own once built, before that an estimate from the props that is never smaller. */
  private readonly index = new SpatialIndex();
  /** Connectors follow the objects they are bound to: a change to one redraws them. */
  private readonly bindings = new BindingIndex();
  /** A box around every object's box (it grows with them; it shrinks only when the whole canvas is replaced). */
  private extent: Bounds | null = null;
  /** The nodes shown now (the others are hidden or not built): those that meet `shownBox`. */
  private shown = new Set<string>();
  /** The objects hidden (themselves or by a hidden frame): drawn nowhere, in no index. */
  private readonly hidden = new Set<string>();
  /** What the stage shows (canvas units), and the box whose objects are shown: the view, or the bitmap's box. */
  private view: Bounds | null = null;
  private shownBox: Bounds | null = null;
  /** The bitmap's box and the zoom it was chosen at, when the layer draws from a bitmap. */
  private bitmap: { box: Bounds; scale: number; whole: boolean } | null = null;
  private model: CanvasModel | null = null;
  /** The zoom at the last cull, and the timer that brings the bitmap back after a zoom. */
  private lastScale: number | null = null;
  private settling: ReturnType<typeof setTimeout> | null = null;

  readonly nodes: Nodes = {
    get: id => this.node(id),
    values: () => { this.buildAll(); return this.built.values(); },
  };

  /** @param palette the theme's colours, which "auto" colours are drawn with. */
  constructor(private readonly layer: Konva.Layer, private palette: Palette) {
    if (layer instanceof ContentLayer) {
      layer.nodesIn = box => [...this.index.query(box)].map(id => this.built.get(id)).filter((n): n is Konva.Shape => !!n && n.visible());
      wheelWithoutHitTest(layer.getStage());
    }
  }

  /** Draws every object again in another theme's colours. */
  setPalette(palette: Palette, model: CanvasModel): void {
    this.palette = palette;
    this.update(model, 'all');
  }

  update(model: CanvasModel, ids: Iterable<string> | 'all'): void {
    const replaced = this.model !== model;
    this.model = model;
    if (replaced || ids === 'all') this.extent = null;
    const todo = ids === 'all' || replaced ? new Set([...this.built.keys(), ...(ids === 'all' ? model.ids() : ids), ...(replaced ? model.ids() : [])])
      : this.bindings.withDependents(ids);
    // A frame shown or hidden shows or hides what it holds.
    for (const id of [...todo]) {
      const obj = model.get(id);
      if (obj?.type === 'frame' && isHidden(model, obj) !== this.hidden.has(id)) for (const inner of descendantsOf(model, id)) todo.add(inner);
    }
    const regions: Bounds[] = [];
    let drawn = false;
    this.changing(regions, () => {
      for (const id of todo) {
        const before = this.built.has(id) ? this.index.get(id) : undefined;
        drawn = this.updateOne(model, id) || drawn;
        const after = this.built.has(id) ? this.index.get(id) : undefined;
        if (before) regions.push(before);
        if (after) regions.push(after);
      }
    });
    if (ids === 'all' || replaced) this.extent = this.index.extent();
    if (this.view) this.cull(this.view); // the canvas may have become big, or grown out of the bitmap
    if (drawn) this.layer.batchDraw();
  }

  /** Brings one object's node and box up to date; true when what is drawn changed. */
  private updateOne(model: CanvasModel, id: string): boolean {
    const obj = model.get(id);
    this.bindings.set(id, obj); // a connector bound to a hidden shape still follows it
    const node = this.built.get(id);
    const hidden = !!obj && isHidden(model, obj);
    if (hidden) this.hidden.add(id); else this.hidden.delete(id);
    if (!obj || hidden) {
      node?.destroy();
      this.built.delete(id);
      this.shown.delete(id);
      this.index.remove(id);
      return !!node;
    }
    if (node && node.getAttr('objectType') !== obj.type) {
      node.destroy();
      this.built.delete(id);
      this.shown.delete(id);
    }
    let drawn = false;
    if (this.built.has(id)) {
      this.refresh(id, obj);
      drawn = true;
    } else {
      this.setBox(id, estimatedBounds(asDrawn(obj, model)));
    }
    return this.showIfInView(id) || drawn;
  }

  /** `ids` and the connectors bound to any of them (which move when they move). */
  withFollowers(ids: Iterable<string>): Set<string> {
    return this.bindings.withDependents(ids);
  }

  /** The objects whose boxes hold a canvas point: never fewer than those drawn there (a hidden one has no box). */
  idsAt(at: { x: number; y: number }): Set<string> {
    return this.index.query({ x: at.x, y: at.y, width: 0, height: 0 });
  }

  /** The boxes of the objects on screen, other than `except`. */
  *visibleBounds(except: ReadonlySet<string>): Iterable<Bounds & { id: string }> {
    for (const id of this.shown) {
      const box = this.index.get(id);
      if (box && !except.has(id) && (!this.view || intersects(box, this.view))) yield { id, ...box };
    }
  }

  /**
   * Shows only the objects that meet the view (canvas coordinates), building the nodes of those coming into it; on a
   * big canvas, those that meet the bitmap's box, which is chosen again only when the view leaves it or the zoom changes.
   */
  cull(view: Bounds): void {
    this.view = view;
    const bitmap = this.chooseBitmap(view);
    const box = bitmap?.box ?? view;
    if (box === this.shownBox) return;
    this.shownBox = box;
    const inView = this.index.query(box);
    let changed = false;
    const previous = this.shown;
    this.shown = new Set();
    this.changing([], () => {
      for (const id of previous) {
        if (inView.has(id)) continue;
        this.built.get(id)?.visible(false);
        changed = true;
      }
      for (const id of inView) {
        if (previous.has(id)) { this.shown.add(id); continue; }
        changed = this.showIfInView(id) || changed;
      }
    });
    if (this.layer instanceof ContentLayer) this.layer.useSnapshot(bitmap && { ...bitmap.box });
    if (changed) this.layer.batchDraw();
  }

  /** The bitmap to draw from for this view (the one kept, while it still holds the view), or null to draw the nodes. */
  private chooseBitmap(view: Bounds): { box: Bounds; scale: number; whole: boolean } | null {
    const stage = this.layer.getStage();
    if (!(this.layer instanceof ContentLayer) || !stage || !this.extent || this.index.size < SNAPSHOT_MIN_OBJECTS) return (this.bitmap = null);
    const scale = stage.scaleX(), extent = this.extent, kept = this.bitmap;
    // While the zoom changes, a bitmap would be drawn anew on every step: the nodes in view are drawn instead, and
    // the bitmap comes back once the zoom has stayed put for a moment.
    const zooming = this.lastScale !== null && this.lastScale !== scale;
    this.lastScale = scale;
    if (zooming || this.settling !== null) {
      if (this.settling !== null) clearTimeout(this.settling);
      this.settling = setTimeout(() => { this.settling = null; if (this.view) this.cull(this.view); }, ZOOM_SETTLE_MS);
      if (zooming || kept?.scale !== scale) return (this.bitmap = null);
    }
    if (extent.width * scale * extent.height * scale <= WHOLE_MAX_SCREENS * stage.width() * stage.height()) {
      const same = kept?.whole && kept.scale === scale && kept.box.x === extent.x && kept.box.y === extent.y &&
        kept.box.width === extent.width && kept.box.height === extent.height;
      return same ? kept : (this.bitmap = { box: { ...extent }, scale, whole: true });
    }
    const b = kept?.box;
    if (kept && !kept.whole && kept.scale === scale && view.x >= b!.x && view.y >= b!.y &&
      view.x + view.width <= b!.x + b!.width && view.y + view.height <= b!.y + b!.height) return kept;
    const mx = view.width * REGION_MARGIN, my = view.height * REGION_MARGIN;
    return (this.bitmap = { box: { x: view.x - mx, y: view.y - my, width: view.width + 2 * mx, height: view.height + 2 * my }, scale, whole: false });
  }

  /** Runs a change of nodes; on the content layer, only `regions` of its bitmap are drawn again. */
  private changing(regions: Bounds[], change: () => void): void {
    if (this.layer instanceof ContentLayer) this.layer.changed(regions, change);
    else change();
  }

  /** The box around every object as drawn, in canvas units; null for an empty canvas. */
  contentBounds(): Bounds | null {
    const boxes = [...this.nodes.values()].map(node => node.getClientRect({ relativeTo: this.layer }));
    if (boxes.length === 0) return null;
    const box = union(boxes);
    return box.width > 0 && box.height > 0 ? box : null;
  }

  /** Builds every node (an export draws them all). */
  buildAll(): void {
    if (!this.model) return;
    const missing = [...this.model.ids()].filter(id => !this.built.has(id) && !this.hidden.has(id));
    this.changing([], () => {
      for (const id of missing) this.build(id, this.model!.get(id)!, false);
      if (missing.length > 0) this.sortAll();
    });
  }

  private node(id: string): Konva.Shape | undefined {
    const existing = this.built.get(id);
    if (existing || !this.model) return existing;
    const obj = this.model.get(id);
    return obj && !this.hidden.has(id) ? this.build(id, obj, true) : undefined;
  }

  /** Shows the object's node (building it) when its box meets the view, hides it otherwise; true when that changed what is drawn. */
  private showIfInView(id: string): boolean {
    const meets = () => !this.shownBox || intersects(this.index.get(id)!, this.shownBox);
    // Built when its estimated box meets the view; then its own box decides.
    const node = meets() ? this.node(id) : this.built.get(id);
    if (!node) return false;
    const visible = meets();
    const was = this.shown.has(id);
    if (visible) this.shown.add(id); else this.shown.delete(id);
    if (node.visible() === visible) return visible !== was;
    node.visible(visible);
    return true;
  }

  private setBox(id: string, box: Bounds): void {
    this.index.set(id, box);
    const e = this.extent;
    if (!e) { this.extent = { ...box }; return; }
    const right = Math.max(e.x + e.width, box.x + box.width), bottom = Math.max(e.y + e.height, box.y + box.height);
    e.x = Math.min(e.x, box.x); e.y = Math.min(e.y, box.y);
    e.width = right - e.x; e.height = bottom - e.y;
  }

  private build(id: string, obj: CanvasObject, placed: boolean): Konva.Shape {
    const node = SHAPES[obj.type].create();
    node.perfectDrawEnabled(false); // no offscreen buffer per shape
    node.shadowForStrokeEnabled(false);
    node.id(id);
    node.setAttr('objectType', obj.type);
    node.name('object');
    node.visible(false);
    this.built.set(id, node);
    this.layer.add(node);
    this.refresh(id, obj, placed);
    return node;
  }

  /** Brings a built node up to date: its look, its box, its place in the stacking order (unless `placed` is false: the caller sorts). */
  private refresh(id: string, obj: CanvasObject, placed = true): void {
    const node = this.built.get(id)!;
    const restacked = node.getAttr('z') !== obj.z;
    node.setAttr('z', obj.z);
    SHAPES[obj.type].update(node, asDrawn(obj, this.model!), this.palette);
    this.setBox(id, boundsOf(node));
    if (placed && (restacked || node.getAttr('placed') !== true)) this.place(node);
    node.setAttr('placed', true);
  }

  /** Moves one node to its place in the stacking order among the others (which are in order): a binary search. */
  private place(node: Konva.Shape): void {
    const children = this.layer.getChildren();
    const me = stacked(node);
    // Searched among the others: position i of that list is child i, or i + 1 from the node's own place on.
    const other = (i: number) => children[i < node.index ? i : i + 1];
    let lo = 0, hi = children.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareStacking(stacked(other(mid)), me) < 0) lo = mid + 1; else hi = mid;
    }
    if (node.index !== lo) node.zIndex(lo);
  }

  /** The layer's children in stacking order (docs/protocol.md), which exports keep. */
  private sortAll(): void {
    const sorted = [...this.built.values()].sort((a, b) => compareStacking(stacked(a), stacked(b)));
    sorted.forEach((node, index) => { node.setAttr('placed', true); node.zIndex(index); });
  }
}

/**
 * A wheel only pans or zooms the view (the stage's handler); no object handles it. Konva would find the shape under
 * the pointer first, which reads the hit canvas, which every move of the view makes stale: the whole canvas would be
 * drawn into it again for every wheel event. The stage takes the wheel itself instead.
 */
function wheelWithoutHitTest(stage: Konva.Stage): void {
  stage._wheel = (evt: WheelEvent) => {
    stage.setPointersPositions(evt);
    stage._fire('wheel', { evt, target: stage, currentTarget: stage });
  };
}

function union(boxes: Bounds[]): Bounds {
  const x = Math.min(...boxes.map(b => b.x)), y = Math.min(...boxes.map(b => b.y));
  return { x, y, width: Math.max(...boxes.map(b => b.x + b.width)) - x, height: Math.max(...boxes.map(b => b.y + b.height)) - y };
}

const stacked = (node: Konva.Node): Stacked => ({ id: node.id(), type: node.getAttr('objectType') as string, z: node.getAttr('z') });

/** A box around the node in canvas units, grown to hold any rotation of it. */
function boundsOf(node: Konva.Shape): Bounds {
  const box = node.getClientRect({ relativeTo: node.getLayer()!, skipTransform: false });
  const pad = node.rotation() ? Math.hypot(box.width, box.height) / 2 : 0;
  return { x: box.x - pad, y: box.y - pad, width: box.width + 2 * pad, height: box.height + 2 * pad };
}

const num = (obj: CanvasObject, prop: string, fallback: number): number => (typeof obj[prop] === 'number' ? (obj[prop] as number) : fallback);

/**
 * A box that holds the object however it is drawn, from its props alone (no node, no text measured): used to decide
 * whether an object not yet built is in view, so it must never be smaller than the drawing. A text is taken as one
 * em per character; lines as their points plus their stroke and head.
 */
export function estimatedBounds(obj: CanvasObject): Bounds {
  const x = num(obj, 'x', 0), y = num(obj, 'y', 0);
  const stroke = num(obj, 'strokeWidth', DEFAULT_STROKE_WIDTH[obj.type]);
  let width: number, height: number, left = 0, top = 0;
  if (Array.isArray(obj.points)) {
    const xs = obj.points.filter((_, i) => i % 2 === 0), ys = obj.points.filter((_, i) => i % 2 === 1);
    left = Math.min(0, ...xs); top = Math.min(0, ...ys);
    width = Math.max(0, ...xs) - left; height = Math.max(0, ...ys) - top;
  } else if (obj.type === 'text') {
    const size = num(obj, 'fontSize', TEXT_DEFAULTS.fontSize);
    const lines = (typeof obj.text === 'string' ? obj.text : '').split('\n');
    const longest = Math.max(...lines.map(l => l.length)) * size;
    width = typeof obj.width === 'number' ? obj.width : longest;
    const rows = typeof obj.width === 'number' ? lines.reduce((n, l) => n + Math.max(1, Math.ceil((l.length * size) / Math.max(1, obj.width as number))), 0) : lines.length;
    height = rows * size * TEXT_DEFAULTS.lineHeight;
  } else {
    const fallback = obj.type === 'frame' ? [400, 300] : [100, 100];
    width = num(obj, 'width', fallback[0]); height = num(obj, 'height', fallback[1]);
  }
  // Strokes (and a line's hit area, an arrow's head) reach past the shape.
  const pad = Math.max(stroke, Array.isArray(obj.points) ? 12 + 4 * stroke : 0);
  const box = { x: x + left - pad, y: y + top - pad, width: width + 2 * pad, height: height + 2 * pad };
  if (!num(obj, 'rotation', 0)) return box;
  // Turned about (x, y): a circle around that point through the farthest corner holds every turn.
  const r = Math.hypot(Math.max(Math.abs(box.x - x), Math.abs(box.x + box.width - x)), Math.max(Math.abs(box.y - y), Math.abs(box.y + box.height - y)));
  return { x: x - r, y: y - r, width: 2 * r, height: 2 * r };
}
