// Export (PNG, SVG, JSON) of the whole canvas or the selection, and import of JSON into a canvas.
import Konva from 'konva';
import type { CanvasModel } from '../sync/model';
import type { CanvasObject, Objects } from '../sync/protocol';

export const PNG_PIXEL_RATIO = 2;

/** A PNG of the given objects (all when empty) at twice their size, cropped to their bounds. */
export function toPng(stage: Konva.Stage, layer: Konva.Layer, ids: string[]): string | null {
  const shown = new Set(ids);
  // Exactly the exported objects are visible while the image is taken (culling may have hidden some).
  const visibility = layer.getChildren().map(node => [node, node.visible()] as const);
  for (const [node] of visibility) node.visible(ids.length === 0 || shown.has(node.id()));
  const scale = stage.scale(), position = stage.position();
  stage.scale({ x: 1, y: 1 });
  stage.position({ x: 0, y: 0 });
  try {
    const box = layer.getClientRect();
    if (box.width <= 0 || box.height <= 0) return null;
    return layer.toDataURL({ ...box, pixelRatio: PNG_PIXEL_RATIO });
  } finally {
    stage.scale(scale);
    stage.position(position);
    for (const [node, visible] of visibility) node.visible(visible);
  }
}

const esc = (s: string) => s.replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const n = (obj: CanvasObject, prop: string, fallback = 0) => (typeof obj[prop] === 'number' ? (obj[prop] as number) : fallback);
const paint = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);

/** An SVG document of the given objects (all when empty), in stacking order. */
export function toSvg(model: CanvasModel, ids: string[]): string {
  const chosen = ids.length > 0 ? new Set(ids) : null;
  const objects = [...model.entries()]
    .filter(([id]) => !chosen || chosen.has(id))
    .sort(([a, oa], [b, ob]) => (oa.type === 'frame' ? 0 : 1) - (ob.type === 'frame' ? 0 : 1) || String(oa.z ?? '').localeCompare(String(ob.z ?? '')) || a.localeCompare(b));
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const body = objects.map(([, o]) => {
    const x = n(o, 'x'), y = n(o, 'y'), w = n(o, 'width', 100), h = n(o, 'height', 100);
    const pts = Array.isArray(o.points) ? o.points : [0, 0, w, 0];
    const xs = o.type === 'line' || o.type === 'arrow' || o.type === 'path' ? pts.filter((_, i) => i % 2 === 0).map(p => x + p) : [x, x + w];
    const ys = o.type === 'line' || o.type === 'arrow' || o.type === 'path' ? pts.filter((_, i) => i % 2 === 1).map(p => y + p) : [y, y + (o.type === 'text' ? n(o, 'fontSize', 16) * 1.2 : h)];
    minX = Math.min(minX, ...xs); maxX = Math.max(maxX, ...xs); minY = Math.min(minY, ...ys); maxY = Math.max(maxY, ...ys);
    const common = `opacity="${n(o, 'opacity', 1)}" transform="rotate(${n(o, 'rotation')} ${x} ${y})"`;
    const stroke = `stroke="${paint(o.stroke, 'none')}" stroke-width="${n(o, 'strokeWidth')}"`;
    switch (o.type) {
      case 'rect':
      case 'frame':
        return `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${n(o, 'cornerRadius')}" fill="${paint(o.fill, o.type === 'frame' ? '#ffffff' : 'none')}" ${stroke} ${common}/>`;
      case 'ellipse':
        return `<ellipse cx="${x + w / 2}" cy="${y + h / 2}" rx="${w / 2}" ry="${h / 2}" fill="${paint(o.fill, 'none')}" ${stroke} ${common}/>`;
      case 'text':
        return `<text x="${x}" y="${y + n(o, 'fontSize', 16)}" font-size="${n(o, 'fontSize', 16)}" font-family="${esc(paint(o.fontFamily, 'Inter, sans-serif'))}" font-weight="${n(o, 'fontWeight', 400)}" fill="${paint(o.fill, '#1f2328')}" ${common}>${esc(String(o.text ?? ''))}</text>`;
      default: {
        const points = pts.map((p, i) => (i % 2 === 0 ? x + p : y + p)).join(' ');
        const marker = o.type === 'arrow' ? ' marker-end="url(#arrow)"' : '';
        return `<polyline points="${points}" fill="none" stroke="${paint(o.stroke, '#1f2328')}" stroke-width="${n(o, 'strokeWidth', 2)}" stroke-linecap="round" stroke-linejoin="round"${marker} ${common}/>`;
      }
    }
  });
  if (!Number.isFinite(minX)) { minX = minY = 0; maxX = maxY = 1; }
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${minX} ${minY} ${maxX - minX} ${maxY - minY}" width="${maxX - minX}" height="${maxY - minY}">` +
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>` +
    body.join('') + '</svg>';
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
