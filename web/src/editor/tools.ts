// Tools and shortcuts are data: one table each, shown in the help panel.
import type { Feature } from '../features';

export type ToolName = 'select' | 'rect' | 'ellipse' | 'line' | 'arrow' | 'text' | 'frame' | 'path';

/** `icon`: the path of a 24×24 line drawing (stroked, not filled), drawn in the toolbar. */
export const TOOLS: { name: ToolName; label: string; key: string; icon: string }[] = [
  { name: 'select', label: 'Select', key: 'v', icon: 'M6 3l12 9-5.5 1L16 20l-2.5 1-3.5-7-4 4z' },
  { name: 'rect', label: 'Rectangle', key: 'r', icon: 'M4 6h16v12H4z' },
  { name: 'ellipse', label: 'Ellipse', key: 'o', icon: 'M3 12a9 7 0 1 0 18 0a9 7 0 1 0-18 0' },
  { name: 'line', label: 'Line', key: 'l', icon: 'M5 19L19 5' },
  { name: 'arrow', label: 'Arrow', key: 'a', icon: 'M5 19L19 5M10 5h9v9' },
  { name: 'text', label: 'Text', key: 't', icon: 'M5 7V4h14v3M12 4v16M9 20h6' },
  { name: 'frame', label: 'Frame', key: 'f', icon: 'M8 3v18M16 3v18M3 8h18M3 16h18' },
  { name: 'path', label: 'Pencil', key: 'p', icon: 'M4 20l1-5L16 4l4 4L9 19zM14 6l4 4' },
];

export type Command =
  | 'delete' | 'help' | 'escape' | 'nudge-left' | 'nudge-right' | 'nudge-up' | 'nudge-down' | 'zoom-fit' | 'undo' | 'redo'
  | 'duplicate' | 'copy' | 'paste' | 'bring-front' | 'send-back' | 'bring-forward' | 'send-backward' | 'select-all'
  | 'zoom-selection' | 'ai' | 'lock' | 'hide' | 'layers' | 'group' | 'ungroup' | 'history' | AlignCommand;

/** Align and distribute (align.ts): each moves the unlocked part of a multi-selection as one undoable change. */
export type AlignCommand =
  | 'align-left' | 'align-center' | 'align-right' | 'align-top' | 'align-middle' | 'align-bottom'
  | 'distribute-horizontal' | 'distribute-vertical';

/**
 * `keys` as `keyOf` writes them: Mod is Ctrl, or Cmd on a Mac. Entries with the same `label` are one row of the help
 * panel, their keys side by side. `feature`: the flag without which the command does nothing (the panel leaves it out).
 */
export const SHORTCUTS: { keys: string; command: Command; label: string; feature?: Feature }[] = [
  { keys: 'Mod+z', command: 'undo', label: 'Undo your last change (a drag is one step)' },
  { keys: 'Mod+Shift+z', command: 'redo', label: 'Redo' },
  { keys: 'Mod+y', command: 'redo', label: 'Redo' },
  { keys: 'Mod+d', command: 'duplicate', label: 'Duplicate the selection' },
  { keys: 'Mod+c', command: 'copy', label: 'Copy (also to other canvases)' },
  { keys: 'Mod+v', command: 'paste', label: 'Paste' },
  { keys: 'Mod+a', command: 'select-all', label: 'Select everything' },
  { keys: ']', command: 'bring-front', label: 'Bring to front' },
  { keys: '[', command: 'send-back', label: 'Send to back' },
  { keys: 'Mod+]', command: 'bring-forward', label: 'Bring forward' },
  { keys: 'Mod+[', command: 'send-backward', label: 'Send backward' },
  { keys: 'Delete', command: 'delete', label: 'Delete the selection' },
  { keys: 'Backspace', command: 'delete', label: 'Delete the selection' },
  { keys: 'Escape', command: 'escape', label: 'Clear the selection' },
  { keys: 'ArrowLeft', command: 'nudge-left', label: 'Nudge the selection (Shift: 10)' },
  { keys: 'ArrowRight', command: 'nudge-right', label: 'Nudge the selection (Shift: 10)' },
  { keys: 'ArrowUp', command: 'nudge-up', label: 'Nudge the selection (Shift: 10)' },
  { keys: 'ArrowDown', command: 'nudge-down', label: 'Nudge the selection (Shift: 10)' },
  { keys: 'Shift+1', command: 'zoom-fit', label: 'Zoom to fit' },
  { keys: 'Shift+2', command: 'zoom-selection', label: 'Zoom to the selection' },
  { keys: 'Mod+Shift+l', command: 'lock', label: 'Lock or unlock the selection (locked: not selected or moved on the canvas; with nothing selected, unlock all)' },
  { keys: 'Mod+Shift+h', command: 'hide', label: 'Hide or show the selection (hidden: not drawn, selected only in the layers panel)' },
  { keys: 'Mod+g', command: 'group', label: 'Group the selection (a press on one selects the group)' },
  { keys: 'Mod+Shift+g', command: 'ungroup', label: 'Ungroup' },
  { keys: 'Alt+l', command: 'layers', label: 'Show or hide the layers panel' },
  { keys: 'Mod+Alt+h', command: 'history', label: 'Show or hide version history', feature: 'VersionHistory' },
  { keys: 'Alt+a', command: 'align-left', label: 'Align left edges' },
  { keys: 'Alt+h', command: 'align-center', label: 'Align horizontal centres' },
  { keys: 'Alt+d', command: 'align-right', label: 'Align right edges' },
  { keys: 'Alt+w', command: 'align-top', label: 'Align top edges' },
  { keys: 'Alt+v', command: 'align-middle', label: 'Align vertical middles' },
  { keys: 'Alt+s', command: 'align-bottom', label: 'Align bottom edges' },
  { keys: 'Alt+Shift+h', command: 'distribute-horizontal', label: 'Distribute horizontally (equal gaps)' },
  { keys: 'Alt+Shift+v', command: 'distribute-vertical', label: 'Distribute vertically (equal gaps)' },
  { keys: 'Mod+k', command: 'ai', label: 'AI: make components from a sentence', feature: 'AiCommands' },
  { keys: '?', command: 'help', label: 'Show or hide the shortcuts' },
];

/**
 * A key press as the shortcut table writes it, e.g. `Mod+Shift+z`, `Shift+1`, `Alt+a`, `ArrowLeft`. With Alt the letter
 * comes from the key's place (`e.code`): on a Mac, Option turns the letter into another character (Option+A is å).
 */
export function keyOf(e: KeyboardEvent): { full: string; bare: string } {
  const bare = e.code.startsWith('Digit') ? e.code.slice(5)
    : e.altKey && e.code.startsWith('Key') ? e.code.slice(3).toLowerCase()
    : e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const mods = [e.ctrlKey || e.metaKey ? 'Mod' : null, e.altKey ? 'Alt' : null, e.shiftKey ? 'Shift' : null].filter(Boolean);
  return { full: [...mods, bare].join('+'), bare };
}

export function findShortcut(e: KeyboardEvent): Command | undefined {
  const { full, bare } = keyOf(e);
  return (SHORTCUTS.find(s => s.keys === full) ?? (e.ctrlKey || e.metaKey || e.altKey ? undefined : SHORTCUTS.find(s => s.keys === bare)))?.command;
}

const KEY_NAMES: Record<string, string> = {
  Mod: 'Ctrl/⌘', Alt: 'Alt/⌥', ArrowLeft: '←', ArrowRight: '→', ArrowUp: '↑', ArrowDown: '↓', Escape: 'Esc',
};

/** How a shortcut is shown to people: `Mod+Shift+z` as `Ctrl/⌘+Shift+Z`, `ArrowLeft` as `←`. */
export function readableKeys(keys: string): string {
  // A `+` at the end is the plus key itself, not a separator.
  return keys.split(/\+(?!$)/).map(key => KEY_NAMES[key] ?? (key.length === 1 ? key.toUpperCase() : key)).join('+');
}
