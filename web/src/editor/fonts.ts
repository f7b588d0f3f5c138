// The fonts a text can have: a short list of web fonts bundled with the editor (Fontsource's variable fonts, so every
// weight from one file per script), served by our own server like the rest of the editor: no font host is asked.
// Objects store the short name; the editor draws it with a stack that falls back while the font loads.
import '@fontsource-variable/inter';
import '@fontsource-variable/lora';
import '@fontsource-variable/caveat';
import '@fontsource-variable/jetbrains-mono';

export interface Font { name: string; label: string; stack: string }

export const FONTS: readonly Font[] = [
  { name: 'Inter', label: 'Sans · Inter', stack: "'Inter Variable', Inter, system-ui, sans-serif" },
  { name: 'Lora', label: 'Serif · Lora', stack: "'Lora Variable', Georgia, serif" },
  { name: 'Caveat', label: 'Hand · Caveat', stack: "'Caveat Variable', cursive" },
  { name: 'JetBrains Mono', label: 'Mono · JetBrains Mono', stack: "'JetBrains Mono Variable', ui-monospace, monospace" },
];

/** Text without a `fontFamily`. */
export const DEFAULT_FONT = FONTS[0];

/** The CSS font stack that draws a stored `fontFamily`: ours by name, anything else (an older canvas, an import) as given. */
export const fontStack = (family: string | undefined): string =>
  FONTS.find(f => f.name === family)?.stack ?? family ?? DEFAULT_FONT.stack;

/** Weights the style panel offers; all four fonts have each (Caveat and Lora span 400 to 700). */
export const WEIGHTS: readonly { value: number; label: string }[] = [
  { value: 400, label: 'Regular' }, { value: 500, label: 'Medium' }, { value: 600, label: 'Semibold' }, { value: 700, label: 'Bold' },
];

/**
 * Asks the browser for a font that a canvas draws with. A canvas does not wait for a web font: the text is drawn and
 * measured in the fallback first, and drawn again when `onFontsLoaded` says the font is here.
 */
export function loadFont(font: string): void {
  try {
    if (!document.fonts.check(font)) void document.fonts.load(font);
  } catch {
    // a family the browser cannot parse: drawn in the fallback
  }
}

/** Calls `listener` after fonts finished loading, so that texts drawn in a fallback are drawn and measured again. */
export function onFontsLoaded(listener: () => void): void {
  document.fonts.addEventListener('loadingdone', listener);
}
