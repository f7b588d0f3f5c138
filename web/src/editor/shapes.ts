// One entry per object type: how to make its Konva node, how to bring the node up to date with the object's
// props, and how a resize by the selection's handles changes the props. Positions are the object's top-left corner
// in canvas units.
import Konva from 'konva';
import type { CanvasObject, ObjectType, PropValue } from '../sync/protocol';
import { colorOf, type Palette } from './colors';

interface ShapeUtil {
  create(): Konva.Shape;
  update(node: Konva.Shape, obj: CanvasObject, palette: Palette): void;
  /** The props that give the object the size its node shows when scaled by `scaleX`, `scaleY` (a handle's drag). */
  resized(obj: CanvasObject, node: Konva.Node, scaleX: number, scaleY: number): Record<string, PropValue>;
}

/** Text without a `fontFamily`. */
export const DEFAULT_FONT = 'Inter, system-ui, sans-serif';

const num = (obj: CanvasObject, prop: string, fallback: number): number =>
  typeof obj[prop] === 'number' ? (obj[prop] as number) : fallback;
const str = (obj: CanvasObject, prop: string, fallback: string): string =>
  typeof obj[prop] === 'string' ? (obj[prop] as string) : fallback;
const points = (obj: CanvasObject): number[] => (Array.isArray(obj.points) ? obj.points : [0, 0, num(obj, 'width', 100), 0]);

const round = (n: number) => Math.round(n * 100) / 100;

/** Boxes keep width and height (at least 1 unit, as drawing does); their look follows from those. */
function resizedBox(defaultWidth: number, defaultHeight: number): ShapeUtil['resized'] {
  return (obj, _node, scaleX, scaleY) => ({
    width: Math.max(1, round(num(obj, 'width', defaultWidth) * scaleX)),
    height: Math.max(1, round(num(obj, 'height', defaultHeight) * scaleY)),
  });
}

/** Lines and strokes are their points: scaling moves each point, the stroke keeps its width. */
const resizedPoints: ShapeUtil['resized'] = (obj, _node, scaleX, scaleY) => ({
  points: points(obj).map((value, index) => round(value * (index % 2 === 0 ? scaleX : scaleY))),
});

function common(node: Konva.Shape, obj: CanvasObject, palette: Palette): void {
  node.setAttrs({
    x: num(obj, 'x', 0),
    y: num(obj, 'y', 0),
    rotation: num(obj, 'rotation', 0),
    opacity: num(obj, 'opacity', 1),
    fill: colorOf(obj, 'fill', palette),
    stroke: colorOf(obj, 'stroke', palette),
    strokeWidth: num(obj, 'strokeWidth', 0),
  });
}

export const SHAPES: Record<ObjectType, ShapeUtil> = {
  rect: {
    create: () => new Konva.Rect(),
    update(node, obj, palette) {
      common(node, obj, palette);
      node.setAttrs({ width: num(obj, 'width', 100), height: num(obj, 'height', 100), cornerRadius: num(obj, 'cornerRadius', 0) });
    },
    resized: resizedBox(100, 100),
  },
  frame: {
    create: () => new Konva.Rect(),
    update(node, obj, palette) {
      common(node, obj, palette);
      node.setAttrs({
        width: num(obj, 'width', 400), height: num(obj, 'height', 300), cornerRadius: num(obj, 'cornerRadius', 0),
        strokeWidth: num(obj, 'strokeWidth', 1),
      });
    },
    resized: resizedBox(400, 300),
  },
  ellipse: {
    // Konva places an ellipse by its centre; objects are placed by their top-left corner.
    create: () => new Konva.Ellipse({ radiusX: 50, radiusY: 50 }),
    update(node, obj, palette) {
      common(node, obj, palette);
      const w = num(obj, 'width', 100), h = num(obj, 'height', 100);
      node.setAttrs({ radiusX: w / 2, radiusY: h / 2, offsetX: -w / 2, offsetY: -h / 2 });
    },
    resized: resizedBox(100, 100),
  },
  text: {
    create: () => new Konva.Text(),
    update(node, obj, palette) {
      common(node, obj, palette);
      node.setAttrs({
        text: str(obj, 'text', ''),
        width: typeof obj.width === 'number' ? obj.width : undefined,
        fontSize: num(obj, 'fontSize', 16),
        fontFamily: str(obj, 'fontFamily', DEFAULT_FONT),
        fontStyle: num(obj, 'fontWeight', 400) >= 600 ? 'bold' : 'normal',
        align: str(obj, 'textAlign', 'left'),
        wrap: 'word',
      });
    },
    // A text has no height of its own: the width is where it wraps, and a vertical stretch makes the letters bigger.
    resized: (obj, node, scaleX, scaleY) => ({
      ...(scaleX !== 1 ? { width: Math.max(1, round(node.width() * scaleX)) } : {}),
      ...(scaleY !== 1 ? { fontSize: Math.max(1, round(num(obj, 'fontSize', 16) * scaleY)) } : {}),
    }),
  },
  line: {
    create: () => new Konva.Line(),
    update(node, obj, palette) {
      common(node, obj, palette);
      node.setAttrs({ points: points(obj), strokeWidth: num(obj, 'strokeWidth', 2), hitStrokeWidth: 12 });
    },
    resized: resizedPoints,
  },
  arrow: {
    create: () => new Konva.Arrow({ points: [0, 0, 100, 0] }),
    update(node, obj, palette) {
      common(node, obj, palette);
      node.setAttrs({
        points: points(obj), fill: colorOf(obj, 'stroke', palette), // the head is filled with the line's colour
        strokeWidth: num(obj, 'strokeWidth', 2), hitStrokeWidth: 12,
      });
    },
    resized: resizedPoints,
  },
  path: {
    create: () => new Konva.Line({ lineCap: 'round', lineJoin: 'round', tension: 0.4 }),
    update(node, obj, palette) {
      common(node, obj, palette);
      node.setAttrs({ points: points(obj), strokeWidth: num(obj, 'strokeWidth', 3), fill: undefined, hitStrokeWidth: 12 });
    },
    resized: resizedPoints,
  },
};
