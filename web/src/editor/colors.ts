// Colours nobody picked. The stored colour "auto" (and a missing fill or stroke where the type has a default) means
// the current theme's colour for that part of that type, so that default content stays readable in light and dark;
// any other colour is drawn as stored. Each theme's colours are CSS custom properties in styles.css.
import type { CanvasObject, ObjectType } from '../sync/protocol';

export const AUTO = 'auto';

/** The theme's colours that objects use: the canvas behind them, ink for text and lines, and frames. */
export interface Palette { canvas: string; ink: string; frameFill: string; frameStroke: string }

/** The palette of the theme the page shows now. */
export function currentPalette(): Palette {
  const style = getComputedStyle(document.documentElement);
  const color = (name: string) => style.getPropertyValue(name).trim();
  return { canvas: color('--canvas'), ink: color('--ink'), frameFill: color('--frame-fill'), frameStroke: color('--frame-stroke') };
}

type Paint = 'fill' | 'stroke';

/** What a missing fill or stroke means, per type: a colour of the theme, or none (transparent). */
const DEFAULTS: Partial<Record<ObjectType, Partial<Record<Paint, keyof Palette>>>> = {
  text: { fill: 'ink' },
  line: { stroke: 'ink' },
  arrow: { stroke: 'ink' },
  path: { stroke: 'ink' },
  frame: { fill: 'frameFill', stroke: 'frameStroke' },
};

/** The colour to draw an object's fill or stroke with. "auto" where the type has no default is the theme's ink. */
export function colorOf(obj: CanvasObject, paint: Paint, palette: Palette): string {
  const value = obj[paint];
  const role = DEFAULTS[obj.type]?.[paint];
  if (value === AUTO) return palette[role ?? 'ink'];
  if (typeof value === 'string') return value;
  return role ? palette[role] : 'transparent';
}
