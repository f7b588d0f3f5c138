// Where a line's or arrow's ends are drawn when they are bound to objects (`startBinding`, `endBinding`): derived from
// the current state, never stored, so that moving, resizing or turning a bound object needs no op of its own. The twin
// of Core's `Connectors` (src/CollabCanvas.Core/Model/Connectors.cs): tests/vectors/connector-geometry.json holds the
// cases both must agree on, so the server and every editor draw the same ends from the same log.
import type { Binding, CanvasObject, ObjectType } from './protocol';

/** The types whose ends bind. */
export const CONNECTOR_TYPES: ReadonlySet<ObjectType> = new Set(['line', 'arrow']);

/**
 * The types an end binds to, with the size each is drawn at when it has none: boxes whose size is in their props. A
 * text is not one: its height comes from measuring its words, which the server cannot do alike.
 */
export const BINDABLE_TYPES: Readonly<Partial<Record<ObjectType, { width: number; height: number }>>> = {
  rect: { width: 100, height: 100 },
  ellipse: { width: 100, height: 100 },
  frame: { width: 400, height: 300 },
};

export type BindingEnd = 'startBinding' | 'endBinding';

/** Anything that finds objects by id: the model, or a plain map in tests. */
export interface ObjectLookup { get(id: string): CanvasObject | undefined }

export interface Point { x: number; y: number }

const num = (obj: CanvasObject, prop: string, fallback: number): number => (typeof obj[prop] === 'number' ? (obj[prop] as number) : fallback);

/** The binding an end holds, when the prop is one. */
export function bindingOf(obj: CanvasObject, end: BindingEnd): Binding | undefined {
  const value = obj[end];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}

/** Whether an object is a connector with at least one end bound. */
export function isBound(obj: CanvasObject): boolean {
  return CONNECTOR_TYPES.has(obj.type) && (bindingOf(obj, 'startBinding') !== undefined || bindingOf(obj, 'endBinding') !== undefined);
}

/**
 * The connector's points as drawn, in the frame of its `points` prop (relative to its `x`, `y`, turned by its
 * `rotation`): the stored points with each bound end moved to where the line towards its anchor meets the bound
 * object's outline (`onOutline`), rounded to hundredths. An end aims from the next point along the line: the other
 * end's anchor when the connector is one segment with both ends bound, else the stored point. An end whose binding
 * names a missing or unbindable object stays where it is stored. Undefined for an object that is not a connector.
 */
export function drawnPoints(connector: CanvasObject, objects: ObjectLookup): number[] | undefined {
  if (!CONNECTOR_TYPES.has(connector.type)) return undefined;
  const points = Array.isArray(connector.points) ? [...connector.points] : [0, 0, num(connector, 'width', 100), 0];
  const origin = { x: num(connector, 'x', 0), y: num(connector, 'y', 0) };
  const turn = num(connector, 'rotation', 0);
  const start = heldBy(bindingOf(connector, 'startBinding'), objects);
  const end = heldBy(bindingOf(connector, 'endBinding'), objects);
  const last = points.length - 2;
  const stored = (i: number) => toCanvas(points[i], points[i + 1], origin, turn);
  // A connector of one point has no direction to come from: its ends are their anchors.
  const from = (held: Held, other: Held | undefined, i: number) =>
    last === 0 ? anchorPoint(held) : onOutline(held, last === 2 && other ? anchorPoint(other) : stored(i));
  const startAt = start && from(start, end, 2), endAt = end && from(end, start, last - 2);
  if (startAt) [points[0], points[1]] = toLocal(startAt, origin, turn);
  if (endAt) [points[last], points[last + 1]] = toLocal(endAt, origin, turn);
  return points;
}

/** A binding's object as a box (its origin, size, turn and outline) and the anchor in it, in the box's own units. */
interface Held { x: number; y: number; width: number; height: number; cos: number; sin: number; ellipse: boolean; u: number; v: number }

function heldBy(binding: Binding | undefined, objects: ObjectLookup): Held | undefined {
  const target = binding ? objects.get(binding.id) : undefined;
  const size = target ? BINDABLE_TYPES[target.type] : undefined;
  if (!binding || !target || !size) return undefined;
  const [cos, sin] = turnOf(num(target, 'rotation', 0));
  const width = num(target, 'width', size.width), height = num(target, 'height', size.height);
  return { x: num(target, 'x', 0), y: num(target, 'y', 0), width, height, cos, sin, ellipse: target.type === 'ellipse', u: binding.x * width, v: binding.y * height };
}

/** The canvas point a binding holds (its anchor), or undefined when it holds nothing that can be drawn. */
export function anchorOf(binding: Binding | undefined, objects: ObjectLookup): Point | undefined {
  const held = heldBy(binding, objects);
  return held && anchorPoint(held);
}

const anchorPoint = (held: Held): Point => boxToCanvas(held, held.u, held.v);

function boxToCanvas(box: Held, u: number, v: number): Point {
  return { x: box.x + u * box.cos - v * box.sin, y: box.y + u * box.sin + v * box.cos };
}

/**
 * Where the segment from `from` to the anchor first meets the object's outline (its turned box, or the ellipse in it):
 * an arrow ends at the shape's edge, not inside it. The anchor itself when `from` lies inside the shape (nothing to
 * cross) or the segment reaches the anchor before the outline (an anchor in an ellipse's box but off the ellipse).
 * Only + − × ÷ and a square root, which IEEE 754 rounds alike everywhere, after the turn's sine and cosine.
 */
function onOutline(held: Held, from: Point): Point {
  const dx = from.x - held.x, dy = from.y - held.y;
  const pu = dx * held.cos + dy * held.sin, pv = -dx * held.sin + dy * held.cos;
  const du = held.u - pu, dv = held.v - pv;
  const t = held.ellipse ? ellipseEntry(pu, pv, du, dv, held.width, held.height) : boxEntry(pu, pv, du, dv, held.width, held.height);
  return t === undefined ? anchorPoint(held) : boxToCanvas(held, pu + t * du, pv + t * dv);
}

/** The fraction (0 to 1, above 0) of the way from p along d where it enters the box [0, w] × [0, h], if it does. */
function boxEntry(pu: number, pv: number, du: number, dv: number, w: number, h: number): number | undefined {
  let enter = 0, exit = 1;
  for (const [p, d, size] of [[pu, du, w], [pv, dv, h]]) {
    if (d === 0) {
      if (p < 0 || p > size) return undefined;
      continue;
    }
    const t1 = -p / d, t2 = (size - p) / d;
    enter = Math.max(enter, Math.min(t1, t2));
    exit = Math.min(exit, Math.max(t1, t2));
  }
  return enter > 0 && enter <= exit ? enter : undefined;
}

/** The same for the ellipse inscribed in the box. */
function ellipseEntry(pu: number, pv: number, du: number, dv: number, w: number, h: number): number | undefined {
  if (w <= 0 || h <= 0) return undefined;
  const rx = w / 2, ry = h / 2;
  const cu = (pu - rx) / rx, cv = (pv - ry) / ry, eu = du / rx, ev = dv / ry;
  const a = eu * eu + ev * ev, b = 2 * (cu * eu + cv * ev), c = cu * cu + cv * cv - 1;
  const discriminant = b * b - 4 * a * c;
  if (c <= 0 || a === 0 || discriminant < 0) return undefined;
  const t = (-b - Math.sqrt(discriminant)) / (2 * a);
  return t > 0 && t <= 1 ? t : undefined;
}

/**
 * The anchor of a canvas point in a bindable object's box (fractions of its width and height, kept inside it), or
 * undefined when the object cannot be bound.
 */
export function anchorIn(target: CanvasObject, point: Point): { x: number; y: number } | undefined {
  const size = BINDABLE_TYPES[target.type];
  if (!size) return undefined;
  const [cos, sin] = turnOf(num(target, 'rotation', 0));
  const dx = point.x - num(target, 'x', 0), dy = point.y - num(target, 'y', 0);
  const w = num(target, 'width', size.width), h = num(target, 'height', size.height);
  const fraction = (along: number, length: number) => (length > 0 ? Math.min(1, Math.max(0, round4(along / length))) : 0.5);
  return { x: fraction(dx * cos + dy * sin, w), y: fraction(-dx * sin + dy * cos, h) };
}

/** Whether a canvas point lies on a bindable object (inside its turned box; inside the ellipse for an ellipse). */
export function contains(target: CanvasObject, point: Point): boolean {
  const size = BINDABLE_TYPES[target.type];
  if (!size) return false;
  const [cos, sin] = turnOf(num(target, 'rotation', 0));
  const dx = point.x - num(target, 'x', 0), dy = point.y - num(target, 'y', 0);
  const u = dx * cos + dy * sin, v = -dx * sin + dy * cos;
  const w = num(target, 'width', size.width), h = num(target, 'height', size.height);
  if (target.type === 'ellipse') return w > 0 && h > 0 && ((u - w / 2) / (w / 2)) ** 2 + ((v - h / 2) / (h / 2)) ** 2 <= 1;
  return u >= 0 && v >= 0 && u <= w && v <= h;
}

function toCanvas(x: number, y: number, origin: Point, rotation: number): Point {
  const [cos, sin] = turnOf(rotation);
  return { x: origin.x + x * cos - y * sin, y: origin.y + x * sin + y * cos };
}

function toLocal(point: Point, origin: Point, rotation: number): [number, number] {
  const [cos, sin] = turnOf(rotation);
  const dx = point.x - origin.x, dy = point.y - origin.y;
  return [round(dx * cos + dy * sin), round(-dx * sin + dy * cos)];
}

/** Cosine and sine of a turn in degrees, exact for quarter turns (as Core's `Turn`). */
function turnOf(degrees: number): [number, number] {
  if (degrees % 90 === 0) return ([[1, 0], [0, 1], [-1, 0], [0, -1]] as [number, number][])[((Math.trunc(degrees / 90) % 4) + 4) % 4];
  const radians = (degrees * Math.PI) / 180;
  return [Math.cos(radians), Math.sin(radians)];
}

/** To hundredths, halves up (Core rounds the same way). */
const round = (value: number) => Math.floor(value * 100 + 0.5) / 100;
/** Anchors keep four decimals: a ten-thousandth of a box is finer than any pointer. */
const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

/**
 * Which connectors are bound to which objects, kept up to date by whoever draws them, so that a change to an object
 * redraws the connectors bound to it (no op touches them) at the cost of the change, not of the canvas.
 */
export class BindingIndex {
  private readonly targetsOf = new Map<string, string[]>();
  private readonly boundTo = new Map<string, Set<string>>();

  /** Records what the object `id` is bound to now: nothing when it is gone, unbound or not a connector. */
  set(id: string, obj: CanvasObject | undefined): void {
    for (const target of this.targetsOf.get(id) ?? []) this.boundTo.get(target)?.delete(id);
    this.targetsOf.delete(id);
    if (!obj || !CONNECTOR_TYPES.has(obj.type)) return;
    const targets = (['startBinding', 'endBinding'] as const).map(end => bindingOf(obj, end)?.id).filter((t): t is string => t !== undefined);
    if (targets.length === 0) return;
    this.targetsOf.set(id, targets);
    for (const target of targets) {
      let connectors = this.boundTo.get(target);
      if (!connectors) this.boundTo.set(target, (connectors = new Set()));
      connectors.add(id);
    }
  }

  /** `ids` and the connectors bound to any of them. */
  withDependents(ids: Iterable<string>): Set<string> {
    const all = new Set(ids);
    for (const id of [...all]) for (const connector of this.boundTo.get(id) ?? []) all.add(connector);
    return all;
  }
}

/** The object as drawn: a bound connector with its drawn points in place of the stored ones. */
export function asDrawn(obj: CanvasObject, objects: ObjectLookup): CanvasObject {
  return isBound(obj) ? { ...obj, points: drawnPoints(obj, objects)! } : obj;
}
