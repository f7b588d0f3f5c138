// Export (PNG, SVG, JSON) of the whole canvas or the selection, and import of JSON into a canvas. PNG and SVG are
// made from the editor's own Konva nodes, so they show what the screen shows (the theme's colours for "auto", the
// same text wrapping, the same stacking order), whatever the view's pan, zoom and culling (docs/architecture.md).
import Konva from 'konva';
import type { CanvasModel } from '../sync/model';
import type { Objects } from '../sync/protocol';

/** Pixels per canvas unit in a PNG, unless the drawing is so large that the image would pass the limits below. */
export const PNG_PIXEL_RATIO = 2;
/** Browsers refuse larger canvases (Chromium: 32,767 a side); beyond these the PNG gets fewer pixels per unit. */
const MAX_PNG_SIDE = 16_384, MAX_PNG_PIXELS = 64 * 1024 * 1024;

/** The objects to export, bottom first: the given ones, or all when none are given. */
function exported(layer: Konva.Layer, ids: string[]): Konva.Shape[] {
  const chosen = new Set(ids);
  return (layer.getChildren() as Konva.Shape[]).filter(node => ids.length === 0 || chosen.has(node.id()));
}

/** A PNG of the given objects (all when empty), cropped to their bounds, on the theme's canvas colour. */
export function toPng(layer: Konva.Layer, ids: string[], background: string): string | null {
  const shown = new Set(exported(layer, ids));
  // Exactly the exported objects are visible while the image is taken (culling hides what is off screen). The view
  // itself is left alone: moving it would make culling run again.
  const visibility = layer.getChildren().map(node => [node, node.visible()] as const);
  try {
    for (const [node] of visibility) node.visible(shown.has(node as Konva.Shape));
    const box = layer.getClientRect(); // in screen pixels, through the view's pan and zoom
    if (box.width <= 0 || box.height <= 0) return null;
    const zoom = layer.getAbsoluteScale().x;
    const width = box.width / zoom, height = box.height / zoom; // in canvas units
    const perUnit = Math.min(PNG_PIXEL_RATIO, MAX_PNG_SIDE / width, MAX_PNG_SIDE / height, Math.sqrt(MAX_PNG_PIXELS / (width * height)));
    const drawing = layer.toCanvas({ ...box, pixelRatio: perUnit / zoom });
    const image = document.createElement('canvas');
    image.width = drawing.width;
    image.height = drawing.height;
    const context = image.getContext('2d')!;
    context.fillStyle = background;
    context.fillRect(0, 0, image.width, image.height);
    context.drawImage(drawing, 0, 0);
    return image.toDataURL('image/png');
  } finally {
    for (const [node, visible] of visibility) node.visible(visible);
  }
}

const esc = (s: string) => s.replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
/** A number as SVG writes it: short, no exponent for the canvas's range. */
const num = (n: number) => String(Math.round(n * 100) / 100);

/** One Konva node as an SVG element, in canvas units. */
function element(node: Konva.Shape): string {
  const x = node.x(), y = node.y();
  const dash = node.dash()?.length ? ` stroke-dasharray="${node.dash().map(num).join(' ')}"` : '';
  const paint = `fill="${esc(String(node.fill() ?? 'none'))}" stroke="${esc(String(node.stroke() ?? 'none'))}" stroke-width="${num(node.strokeWidth())}"` +
    `${dash}${node.lineCap() === 'round' ? ' stroke-linecap="round"' : ''}`;
  const placed = `opacity="${num(node.opacity())}"${node.rotation() ? ` transform="rotate(${num(node.rotation())} ${num(x)} ${num(y)})"` : ''}`;
  if (node instanceof Konva.Text) {
    const lineHeight = node.fontSize() * node.lineHeight();
    const [anchor, ax] = node.align() === 'center' ? ['middle', x + node.width() / 2] : node.align() === 'right' ? ['end', x + node.width()] : ['start', x];
    const lines = node.textArr.map((line, i) => `<tspan x="${num(ax)}" y="${num(y + lineHeight * (i + 0.5))}">${esc(line.text)}</tspan>`).join('');
    return `<text x="${num(ax)}" y="${num(y + lineHeight / 2)}" dominant-baseline="central" text-anchor="${anchor}" font-size="${num(node.fontSize())}" ` +
      `font-family="${esc(node.fontFamily())}" font-weight="${({ bold: 700, normal: 400 } as Record<string, number>)[node.fontStyle()] ?? Number(node.fontStyle())}" fill="${esc(String(node.fill()))}" ${placed}>${lines}</text>`;
  }
  if (node instanceof Konva.Ellipse) {
    return `<ellipse cx="${num(x - node.offsetX())}" cy="${num(y - node.offsetY())}" rx="${num(node.radiusX())}" ry="${num(node.radiusY())}" ${paint} ${placed}/>`;
  }
  if (node instanceof Konva.Line) {
    const pts = node.points();
    const line = `<polyline points="${pts.map((p, i) => num(i % 2 === 0 ? x + p : y + p)).join(' ')}" fill="none" stroke="${esc(String(node.stroke()))}" ` +
      `stroke-width="${num(node.strokeWidth())}" stroke-linecap="${node.lineCap() ?? 'butt'}" stroke-linejoin="${node.lineJoin() ?? 'miter'}"${dash}`;
    if (!(node instanceof Konva.Arrow) || pts.length < 4) return `${line} ${placed}/>`;
    // The head as Konva draws it: a triangle at the last point, along the last segment.
    const n = pts.length, angle = Math.atan2(pts[n - 1] - pts[n - 3], pts[n - 2] - pts[n - 4]);
    const tipX = x + pts[n - 2], tipY = y + pts[n - 1], length = node.pointerLength(), half = node.pointerWidth() / 2;
    const corner = (side: number) =>
      `${num(tipX - length * Math.cos(angle) - side * half * Math.sin(angle))} ${num(tipY - length * Math.sin(angle) + side * half * Math.cos(angle))}`;
    return `<g ${placed}>${line}/><polygon points="${num(tipX)} ${num(tipY)} ${corner(1)} ${corner(-1)}" ${paint}/></g>`;
  }
  const rect = node as Konva.Rect;
  return `<rect x="${num(x)}" y="${num(y)}" width="${num(rect.width())}" height="${num(rect.height())}" rx="${num(Number(rect.cornerRadius()) || 0)}" ${paint} ${placed}/>`;
}

/** An SVG document of the given objects (all when empty), in stacking order, on the theme's canvas colour. */
export function toSvg(layer: Konva.Layer, ids: string[], background: string): string {
  const nodes = exported(layer, ids);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const node of nodes) {
    const box = node.getClientRect({ relativeTo: layer });
    minX = Math.min(minX, box.x); minY = Math.min(minY, box.y);
    maxX = Math.max(maxX, box.x + box.width); maxY = Math.max(maxY, box.y + box.height);
  }
  if (!Number.isFinite(minX)) { minX = minY = 0; maxX = maxY = 1; }
  const box = `x="${num(minX)}" y="${num(minY)}" width="${num(maxX - minX)}" height="${num(maxY - minY)}"`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${num(minX)} ${num(minY)} ${num(maxX - minX)} ${num(maxY - minY)}" width="${num(maxX - minX)}" height="${num(maxY - minY)}">` +
    `<rect ${box} fill="${esc(background)}"/>` + nodes.map(element).join('') + '</svg>';
}

export interface CanvasFile { collabcanvas: 1; objects: Objects }

export function toJson(model: CanvasModel): string {
  return JSON.stringify({ collabcanvas: 1, objects: model.toJSON() } satisfies CanvasFile, null, 2);
}

/** The objects of an exported canvas file; throws with a readable message when the file is not one. */
export function readCanvasFile(text: string): Objects {
  const parsed = JSON.parse(text) as Partial<CanvasFile>;
  if (parsed?.collabcanvas !== 1 || typeof parsed.objects !== 'object' || parsed.objects === null) throw new Error('Not a CollabCanvas JSON file.');
  return parsed.objects;
}

export function download(name: string, href: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  if (href.startsWith('blob:')) setTimeout(() => URL.revokeObjectURL(href), 1000);
}

export const blobUrl = (text: string, type: string) => URL.createObjectURL(new Blob([text], { type }));
