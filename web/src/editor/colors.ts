// Colours nobody picked, and the palette. The stored colour "auto" (and a missing fill or stroke where the type has a
// default) means the current theme's colour for that part of that type, so that default content stays readable in
// light and dark; a palette colour ("palette:red") is drawn in the current theme's shade of it; any other colour is
// drawn as stored. Each theme's colours are CSS custom properties in styles.css.
import type { CanvasObject, ObjectType } from '../sync/protocol';

export const AUTO = 'auto';
export const NONE = 'transparent';

/** The palette's names in the order the style panel shows them: a row of strong colours, then a row of light ones. */
export const PALETTE_NAMES = [
  'grey', 'red', 'orange', 'yellow', 'green', 'blue', 'violet',
  'light-grey', 'light-red', 'light-orange', 'light-yellow', 'light-green', 'light-blue', 'light-violet',
] as const;
const PALETTE_PREFIX = 'palette:';

/** The stored value of a palette colour. */
export const paletteColor = (name: (typeof PALETTE_NAMES)[number]) => `${PALETTE_PREFIX}${name}`;

/** The theme's colours that objects use: the canvas behind them, ink for text and lines, frames, and the palette's shades. */
export interface Palette { canvas: string; ink: string; frameFill: string; frameStroke: string; named: Record<string, string> }

/** The palette of the theme the page shows now. */
export function currentPalette(): Palette {
  const style = getComputedStyle(document.documentElement);
  const color = (name: string) => style.getPropertyValue(name).trim();
  const named = Object.fromEntries(PALETTE_NAMES.map(name => [paletteColor(name), color(`--palette-${name}`)]));
  return { canvas: color('--canvas'), ink: color('--ink'), frameFill: color('--frame-fill'), frameStroke: color('--frame-stroke'), named };
}

export type Paint = 'fill' | 'stroke';

/** What a missing fill or stroke means, per type: a colour of the theme, or none (transparent). */
const DEFAULTS: Partial<Record<ObjectType, Partial<Record<Paint, 'ink' | 'frameFill' | 'frameStroke'>>>> = {
  text: { fill: 'ink' },
  line: { stroke: 'ink' },
  arrow: { stroke: 'ink' },
  path: { stroke: 'ink' },
  frame: { fill: 'frameFill', stroke: 'frameStroke' },
};

/** Whether a missing `paint` of a `type` is drawn in a theme colour (as "auto") rather than not at all. */
export const hasThemeDefault = (type: ObjectType, paint: Paint): boolean => DEFAULTS[type]?.[paint] !== undefined;

/** The colour to draw an object's fill or stroke with. "auto" where the type has no default is the theme's ink. */
export function colorOf(obj: CanvasObject, paint: Paint, palette: Palette): string {
  const value = obj[paint];
  const role = DEFAULTS[obj.type]?.[paint];
  if (value === AUTO) return palette[role ?? 'ink'];
  if (typeof value === 'string') return value.startsWith(PALETTE_PREFIX) ? palette.named[value] ?? palette.ink : value;
  return role ? palette[role] : NONE;
}
