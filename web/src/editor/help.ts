// The `?` panel: one row per thing you can do, its keys in the names printed on keyboards. The README's table of
// keys lists the same rows (an end-to-end test compares them).
import type { Features } from '../features';
import { SHORTCUTS, TOOLS, readableKeys } from './tools';

interface HelpRow { keys: string[]; does: string }

/** Pointer gestures, which the stage handles itself (they are not in the shortcut table). */
const GESTURES: HelpRow[] = [
  { keys: ['Wheel', 'Space+drag', 'Middle-drag'], does: 'Pan' },
  { keys: ['Ctrl/⌘+wheel', 'Pinch'], does: 'Zoom at the pointer (10%–800%)' },
  { keys: ['Drag a shape'], does: 'Select and move it' },
  { keys: ['Drag a handle'], does: 'Resize (Shift: keep the ratio, Alt: from the centre)' },
  { keys: ['Drag the rotate handle'], does: 'Rotate (Shift: in steps of 15°)' },
  { keys: ["Let an arrow's or line's end go on a shape"], does: 'Bind it: the end follows the shape (drag the end handle off to unbind)' },
];

/** The tools, then the shortcuts whose feature is on (those that share a label make one row), then the gestures. */
function helpRows(on: Features): HelpRow[] {
  const rows: HelpRow[] = TOOLS.map(t => ({ keys: [readableKeys(t.key)], does: t.label }));
  const byLabel = new Map<string, HelpRow>();
  for (const s of SHORTCUTS.filter(s => !s.feature || on(s.feature))) {
    const row = byLabel.get(s.label);
    if (row) row.keys.push(readableKeys(s.keys));
    else {
      const added = { keys: [readableKeys(s.keys)], does: s.label };
      byLabel.set(s.label, added);
      rows.push(added);
    }
  }
  return [...rows, ...GESTURES];
}

/** The panel's rows: each key combination in a `kbd`, several joined by commas. */
export function fillHelpPanel(list: HTMLDListElement, on: Features): void {
  list.replaceChildren(...helpRows(on).flatMap(row => {
    const keys = document.createElement('dt');
    row.keys.forEach((k, i) => {
      const kbd = document.createElement('kbd');
      kbd.textContent = k;
      keys.append(...(i > 0 ? [', ', kbd] : [kbd]));
    });
    const does = document.createElement('dd');
    does.textContent = row.does;
    return [keys, does];
  }));
}
