// Binding the ends of lines and arrows to shapes, as a person does it: an end let go over a shape (while drawing, or
// dragging a selected connector's end handle) binds to the point of the shape it was let go at, and the shape is
// outlined while the end hovers over it; an end handle let go elsewhere unbinds. Where bound ends are drawn is
// derived (sync/connectors.ts); this module only writes bindings, and the ends as drawn whenever a binding is dropped
// (a bound shape deleted, a connector moved on its own), so that the stored points stay where the line was seen.
import Konva from 'konva';
import type { CanvasModel } from '../sync/model';
import type { CanvasObject, Op, PropValue } from '../sync/protocol';
import {
  BINDABLE_TYPES, CONNECTOR_TYPES, anchorIn, bindingOf, contains, drawnPoints, type BindingEnd, type Point,
} from '../sync/connectors';
import { compareStacking } from './zindex';
import { isHidden } from './visibility';

const HIGHLIGHT = '#1971c2';
const ENDS: readonly BindingEnd[] = ['startBinding', 'endBinding'];

export interface ConnectorEditingHost {
  stage: Konva.Stage;
  overlay: Konva.Layer;
  model(): CanvasModel;
  submit(ops: Op[]): void;
  /** Opens and closes one undo step around a handle's drag. */
  gesture(begin: boolean): void;
  /** The node an object is drawn with, if any. */
  node(id: string): Konva.Shape | undefined;
  /** `ids` and the connectors bound to any of them, from an index kept with the model (not a scan of every object). */
  followers(ids: Iterable<string>): Set<string>;
  /** The objects that may be drawn at a canvas point, from the renderer's spatial index (a dragged end asks on every move). */
  objectsAt(at: Point): Iterable<string>;
}

export class ConnectorEditing {
  private readonly highlight = new Konva.Group({ listening: false });
  private readonly handles = new Konva.Group();
  /** The connector whose end handles are shown. */
  private shown: string | null = null;

  constructor(private readonly host: ConnectorEditingHost) {
    host.overlay.add(this.highlight, this.handles);
  }

  /** Whether a node is one of this module's handles (a press on it is not a press on the canvas). */
  owns(node: Konva.Node): boolean {
    return node.getParent() === this.handles;
  }

  /** The props that bind a new connector's start, when it is drawn from a shape. */
  startProps(type: string, at: Point): Record<string, PropValue> {
    if (!CONNECTOR_TYPES.has(type as CanvasObject['type'])) return {};
    const binding = this.bindingAt(at);
    return binding ? { startBinding: binding } : {};
  }

  /** While a connector is drawn: outlines the shape its end would bind to (none for other types). */
  drawing(type: string, id: string, at: Point | null): void {
    this.outline(CONNECTOR_TYPES.has(type as CanvasObject['type']) && at ? this.targetAt(at, id) : undefined);
  }

  /** When a connector's drawing ends at `at`: ops that bind its end to the shape there (nothing for other types). */
  finishDrawing(type: string, id: string, at: Point | null): Op[] {
    this.outline(undefined);
    if (!CONNECTOR_TYPES.has(type as CanvasObject['type']) || !at) return [];
    const binding = this.bindingAt(at, id);
    return binding ? [{ op: 'put', id, props: { endBinding: binding } }] : [];
  }

  /**
   * Ops that drop the bindings to objects about to be deleted (`ids`, with everything inside them), each connector's
   * points written as drawn first, in the same batch as the delete (docs/protocol.md, "Connectors").
   */
  beforeDelete(ids: readonly string[]): Op[] {
    const model = this.host.model();
    const gone = new Set(ids);
    for (let grew = true; grew;) {
      grew = false;
      for (const [id, obj] of model.entries()) {
        if (!gone.has(id) && typeof obj.parentId === 'string' && gone.has(obj.parentId)) { gone.add(id); grew = true; }
      }
    }
    return this.unbindOps(model, id => !gone.has(id), target => gone.has(target));
  }

  /**
   * Ops that free the selected connectors from objects outside the selection before the selection is moved or
   * turned: a connector moved on its own leaves the shapes it was bound to, as it was drawn.
   */
  detach(selection: readonly string[]): Op[] {
    const chosen = new Set(selection);
    return this.unbindOps(this.host.model(), id => chosen.has(id), target => !chosen.has(target));
  }

  /**
   * While the selection's handles resize or turn `nodes` (their ops come when the handle is let go), draws the
   * connectors bound to them as the nodes are now, so that the ends follow the handle and not only its release.
   */
  followTransform(nodes: readonly Konva.Node[]): void {
    const model = this.host.model();
    const transformed = new Set(nodes.map(node => node.id()));
    const now = new Map<string, CanvasObject>();
    for (const node of nodes) {
      const obj = model.get(node.id());
      const size = obj ? BINDABLE_TYPES[obj.type] : undefined;
      if (!obj || !size) continue;
      const num = (prop: string, fallback: number) => (typeof obj[prop] === 'number' ? (obj[prop] as number) : fallback);
      now.set(node.id(), {
        ...obj, x: node.x(), y: node.y(), rotation: node.rotation(),
        width: num('width', size.width) * node.scaleX(), height: num('height', size.height) * node.scaleY(),
      });
    }
    const lookup = { get: (id: string) => now.get(id) ?? model.get(id) };
    for (const id of this.withFollowers(now.keys())) {
      const obj = model.get(id), node = this.host.node(id);
      if (transformed.has(id) || !obj || !node || !CONNECTOR_TYPES.has(obj.type)) continue;
      node.setAttr('points', drawnPoints(obj, lookup));
      node.getLayer()?.batchDraw();
    }
  }

  /** `ids` and the connectors bound to any of them: what moves along when they move, so nothing a drag snaps to. */
  withFollowers(ids: Iterable<string>): Set<string> {
    return this.host.followers(ids);
  }

  /** Shows the end handles of a lone selected connector (`editable`: with the select tool, by an editor). */
  showHandles(selection: readonly string[], editable: boolean): void {
    const id = selection.length === 1 ? selection[0] : null;
    const obj = id ? this.host.model().get(id) : undefined;
    if (!id || !obj || !editable || !CONNECTOR_TYPES.has(obj.type)) {
      this.shown = null;
      this.handles.destroyChildren();
      this.host.overlay.batchDraw();
      return;
    }
    const points = drawnPoints(obj, this.host.model())!;
    const ends = [toCanvas(obj, points[0], points[1]), toCanvas(obj, points[points.length - 2], points[points.length - 1])];
    if (this.shown !== id || this.handles.getChildren().length !== 2) {
      this.shown = id;
      this.handles.destroyChildren();
      ENDS.forEach(end => this.handles.add(this.handle(id, end)));
    }
    const scale = this.host.stage.scaleX();
    this.handles.getChildren().forEach((handle, i) => {
      if (!handle.isDragging()) handle.setAttrs({ ...ends[i], radius: 6 / scale, strokeWidth: 2 / scale });
    });
    this.host.overlay.batchDraw();
  }

  private handle(id: string, end: BindingEnd): Konva.Circle {
    const handle = new Konva.Circle({ fill: '#ffffff', stroke: HIGHLIGHT, draggable: true, name: `connector-${end === 'startBinding' ? 'start' : 'end'}` });
    // The end goes where the handle is dragged (the overlay is in canvas units), unbound while it moves; let go, it binds
    // to the shape under it or stays free there: where the button was released, read from that event (Konva may end a
    // drag before its last move reached the handle or the stage).
    const move = (bind: boolean, released?: Event) => {
      if (released) {
        const stage = this.host.stage;
        stage.setPointersPositions(released);
        const p = stage.getPointerPosition();
        if (p) handle.position({ x: (p.x - stage.x()) / stage.scaleX(), y: (p.y - stage.y()) / stage.scaleY() });
      }
      const at = { x: Math.round(handle.x() * 100) / 100, y: Math.round(handle.y() * 100) / 100 };
      const obj = this.host.model().get(id);
      if (!obj) return;
      const target = this.targetAt(at, id);
      this.outline(bind ? undefined : target);
      const points = [...drawnPoints(obj, this.host.model())!];
      const index = end === 'startBinding' ? 0 : points.length - 2;
      [points[index], points[index + 1]] = toLocal(obj, at);
      const binding = bind && target ? { id: target, ...anchorIn(this.host.model().get(target)!, at)! } : null;
      this.host.submit([{ op: 'put', id, props: { points, [end]: binding } }]);
    };
    handle.on('dragstart', () => this.host.gesture(true));
    handle.on('dragmove', () => move(false));
    handle.on('dragend', e => {
      move(true, e.evt);
      this.host.gesture(false);
    });
    return handle;
  }

  /** Ops writing the drawn points and dropping the bindings of connectors `which` bound to objects `leaving`. */
  private unbindOps(model: CanvasModel, which: (id: string) => boolean, leaving: (target: string) => boolean): Op[] {
    const ops: Op[] = [];
    for (const [id, obj] of model.entries()) {
      if (!which(id) || !CONNECTOR_TYPES.has(obj.type)) continue;
      const dropped = ENDS.filter(end => { const b = bindingOf(obj, end); return b !== undefined && leaving(b.id); });
      if (dropped.length === 0) continue;
      ops.push({ op: 'put', id, props: { points: drawnPoints(obj, model)!, ...Object.fromEntries(dropped.map(end => [end, null])) } });
    }
    return ops;
  }

  /** A binding to the topmost shape under a canvas point (other than `except`), at that point. */
  private bindingAt(at: Point, except?: string): PropValue | undefined {
    const target = this.targetAt(at, except);
    return target ? { id: target, ...anchorIn(this.host.model().get(target)!, at)! } : undefined;
  }

  /** The topmost bindable object under a canvas point, other than `except`: what an end let go there binds to. */
  private targetAt(at: Point, except?: string): string | undefined {
    let top: { id: string; type: string; z?: unknown } | undefined;
    const model = this.host.model();
    for (const id of this.host.objectsAt(at)) {
      const obj = model.get(id);
      if (!obj || id === except || !BINDABLE_TYPES[obj.type] || !contains(obj, at) || isHidden(model, obj)) continue;
      const candidate = { id, type: obj.type, z: obj.z };
      if (!top || compareStacking(candidate, top) > 0) top = candidate;
    }
    return top?.id;
  }

  /** Outlines the shape an end would bind to (or nothing), in its own turned box. */
  private outline(id: string | undefined): void {
    this.highlight.destroyChildren();
    const obj = id ? this.host.model().get(id) : undefined;
    const size = obj ? BINDABLE_TYPES[obj.type] : undefined;
    if (obj && size) {
      const num = (prop: string, fallback: number) => (typeof obj[prop] === 'number' ? (obj[prop] as number) : fallback);
      const width = num('width', size.width), height = num('height', size.height);
      const attrs = { x: num('x', 0), y: num('y', 0), rotation: num('rotation', 0), stroke: HIGHLIGHT, strokeWidth: 3 / this.host.stage.scaleX(), name: 'binding-target' };
      this.highlight.add(obj.type === 'ellipse'
        ? new Konva.Ellipse({ ...attrs, radiusX: width / 2, radiusY: height / 2, offsetX: -width / 2, offsetY: -height / 2 })
        : new Konva.Rect({ ...attrs, width, height }));
    }
    this.host.overlay.batchDraw();
  }
}

/** A point of a connector's own frame (relative to its origin, turned by its rotation) in canvas units. */
function toCanvas(obj: CanvasObject, x: number, y: number): Point {
  const radians = ((typeof obj.rotation === 'number' ? obj.rotation : 0) * Math.PI) / 180;
  const ox = typeof obj.x === 'number' ? obj.x : 0, oy = typeof obj.y === 'number' ? obj.y : 0;
  return { x: ox + x * Math.cos(radians) - y * Math.sin(radians), y: oy + x * Math.sin(radians) + y * Math.cos(radians) };
}

/** A canvas point in a connector's own frame, to hundredths. */
function toLocal(obj: CanvasObject, at: Point): [number, number] {
  const radians = ((typeof obj.rotation === 'number' ? obj.rotation : 0) * Math.PI) / 180;
  const dx = at.x - (typeof obj.x === 'number' ? obj.x : 0), dy = at.y - (typeof obj.y === 'number' ? obj.y : 0);
  const round = (n: number) => Math.round(n * 100) / 100;
  return [round(dx * Math.cos(radians) + dy * Math.sin(radians)), round(-dx * Math.sin(radians) + dy * Math.cos(radians))];
}
