// Tools and shortcuts are data: one table each, shown in the help panel.
export type ToolName = 'select' | 'rect' | 'ellipse' | 'line' | 'arrow' | 'text' | 'frame' | 'path';

export const TOOLS: { name: ToolName; label: string; key: string }[] = [
  { name: 'select', label: 'Select', key: 'v' },
  { name: 'rect', label: 'Rectangle', key: 'r' },
  { name: 'ellipse', label: 'Ellipse', key: 'o' },
  { name: 'line', label: 'Line', key: 'l' },
  { name: 'arrow', label: 'Arrow', key: 'a' },
  { name: 'text', label: 'Text', key: 't' },
  { name: 'frame', label: 'Frame', key: 'f' },
  { name: 'path', label: 'Pencil', key: 'p' },
];

export type Command =
  | 'delete' | 'help' | 'escape' | 'nudge-left' | 'nudge-right' | 'nudge-up' | 'nudge-down' | 'zoom-fit' | 'undo' | 'redo'
  | 'duplicate' | 'copy' | 'paste' | 'bring-front' | 'send-back' | 'bring-forward' | 'send-backward' | 'select-all'
  | 'zoom-selection' | 'ai';

/** `keys` as `keyOf` writes them: Mod is Ctrl, or Cmd on a Mac. */
export const SHORTCUTS: { keys: string; command: Command; label: string }[] = [
  { keys: 'Mod+z', command: 'undo', label: 'Undo your last change' },
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
  { keys: 'ArrowLeft', command: 'nudge-left', label: 'Nudge left (Shift: 10)' },
  { keys: 'ArrowRight', command: 'nudge-right', label: 'Nudge right (Shift: 10)' },
  { keys: 'ArrowUp', command: 'nudge-up', label: 'Nudge up (Shift: 10)' },
  { keys: 'ArrowDown', command: 'nudge-down', label: 'Nudge down (Shift: 10)' },
  { keys: 'Shift+1', command: 'zoom-fit', label: 'Zoom to fit' },
  { keys: 'Shift+2', command: 'zoom-selection', label: 'Zoom to the selection' },
  { keys: 'Mod+k', command: 'ai', label: 'AI: make components from a sentence' },
  { keys: '?', command: 'help', label: 'Show or hide this help' },
];

/** A key press as the shortcut table writes it, e.g. `Mod+Shift+z`, `Shift+1`, `ArrowLeft`. */
export function keyOf(e: KeyboardEvent): { full: string; bare: string } {
  const bare = e.code.startsWith('Digit') ? e.code.slice(5) : e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const mods = [e.ctrlKey || e.metaKey ? 'Mod' : null, e.shiftKey ? 'Shift' : null].filter(Boolean);
  return { full: [...mods, bare].join('+'), bare };
}

export function findShortcut(e: KeyboardEvent): Command | undefined {
  const { full, bare } = keyOf(e);
  return (SHORTCUTS.find(s => s.keys === full) ?? (e.ctrlKey || e.metaKey ? undefined : SHORTCUTS.find(s => s.keys === bare)))?.command;
}

/** How a shortcut is shown: `Mod+Shift+z` as `Ctrl/⌘+Shift+Z`. */
export function prettyKeys(keys: string): string {
  return keys.replace('Mod', 'Ctrl/⌘').replace(/\+([a-z])$/, (_, c: string) => `+${c.toUpperCase()}`);
}
