// One entry per object type: how to make its Konva node, how to bring the node up to date with the object's
// props, and how a resize by the selection's handles changes the props. Positions are the object's top-left corner
// in canvas units.
import Konva from 'konva';
import type { CanvasObject, ObjectType, PropValue } from '../sync/protocol';
import { colorOf, type Palette } from './colors';
import { fontStack, loadFont } from './fonts';

interface ShapeUtil {
  create(): Konva.Shape;
  update(node: Konva.Shape, obj: CanvasObject, palette: Palette): void;
  /** The props that give the object the size its node shows when scaled by `scaleX`, `scaleY` (a handle's drag). */
  resized(obj: CanvasObject, node: Konva.Node, scaleX: number, scaleY: number): Record<string, PropValue>;
}

/** The stroke width each type is drawn with when it has none. */
export const DEFAULT_STROKE_WIDTH: Record<ObjectType, number> = { rect: 0, ellipse: 0, text: 0, frame: 1, line: 2, arrow: 2, path: 3 };
/** Text's size, weight and line height when unset; the line height is also the in-place editor's. */
export const TEXT_DEFAULTS = { fontSize: 16, fontWeight: 400, lineHeight: 1.2 };

/**
 * A stroke's pattern in proportion to its width (docs/protocol.md): dashes of 4 widths with gaps of 3, or round dots
 * one width across, 2 widths apart (a zero-length dash with a round cap is a dot).
 */
function dashOf(dash: string | undefined, width: number): { dash: number[]; lineCap: 'butt' | 'round' } {
  const w = Math.max(1, width);
  if (dash === 'dashed') return { dash: [4 * w, 3 * w], lineCap: 'butt' };
  if (dash === 'dotted') return { dash: [0, 2 * w], lineCap: 'round' };
  return { dash: [], lineCap: 'butt' };
}

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
  const strokeWidth = num(obj, 'strokeWidth', DEFAULT_STROKE_WIDTH[obj.type]);
  node.setAttrs({
    x: num(obj, 'x', 0),
    y: num(obj, 'y', 0),
    rotation: num(obj, 'rotation', 0),
    opacity: num(obj, 'opacity', 1),
    fill: colorOf(obj, 'fill', palette),
    stroke: colorOf(obj, 'stroke', palette),
    strokeWidth,
    ...dashOf(typeof obj.dash === 'string' ? obj.dash : undefined, strokeWidth),
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
      node.setAttrs({ width: num(obj, 'width', 400), height: num(obj, 'height', 300), cornerRadius: num(obj, 'cornerRadius', 0) });
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
      // With a width, the text wraps inside it and grows in height; without one, it is as wide as its longest line.
      const text = node as Konva.Text;
      text.setAttrs({
        text: str(obj, 'text', ''),
        width: typeof obj.width === 'number' ? obj.width : undefined,
        fontSize: num(obj, 'fontSize', TEXT_DEFAULTS.fontSize),
        fontFamily: fontStack(typeof obj.fontFamily === 'string' ? obj.fontFamily : undefined),
        fontStyle: String(num(obj, 'fontWeight', TEXT_DEFAULTS.fontWeight)),
        align: str(obj, 'textAlign', 'left'),
        lineHeight: TEXT_DEFAULTS.lineHeight,
        wrap: 'word',
      });
      loadFont(`${text.fontStyle()} ${text.fontSize()}px ${text.fontFamily()}`);
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
      node.setAttrs({ points: points(obj), hitStrokeWidth: 12 });
    },
    resized: resizedPoints,
  },
  arrow: {
    create: () => new Konva.Arrow({ points: [0, 0, 100, 0] }),
    update(node, obj, palette) {
      common(node, obj, palette);
      node.setAttrs({
        points: points(obj), fill: colorOf(obj, 'stroke', palette), // the head is filled with the line's colour
        hitStrokeWidth: 12,
      });
    },
    resized: resizedPoints,
  },
  path: {
    create: () => new Konva.Line({ lineJoin: 'round', tension: 0.4 }),
    update(node, obj, palette) {
      common(node, obj, palette);
      node.setAttrs({ points: points(obj), lineCap: 'round', fill: undefined, hitStrokeWidth: 12 });
    },
    resized: resizedPoints,
  },
};
