// Tools and shortcuts are data: one table each, shown in the help panel.
export type ToolName = 'select' | 'rect' | 'ellipse' | 'text';

export const TOOLS: { name: ToolName; label: string; key: string }[] = [
  { name: 'select', label: 'Select', key: 'v' },
  { name: 'rect', label: 'Rectangle', key: 'r' },
  { name: 'ellipse', label: 'Ellipse', key: 'o' },
  { name: 'text', label: 'Text', key: 't' },
];

export type Command = 'delete' | 'help' | 'escape' | 'nudge-left' | 'nudge-right' | 'nudge-up' | 'nudge-down' | 'zoom-fit';

export const SHORTCUTS: { keys: string; command: Command; label: string }[] = [
  { keys: 'Delete', command: 'delete', label: 'Delete the selection' },
  { keys: 'Backspace', command: 'delete', label: 'Delete the selection' },
  { keys: 'Escape', command: 'escape', label: 'Clear the selection' },
  { keys: 'ArrowLeft', command: 'nudge-left', label: 'Nudge left (Shift: 10)' },
  { keys: 'ArrowRight', command: 'nudge-right', label: 'Nudge right (Shift: 10)' },
  { keys: 'ArrowUp', command: 'nudge-up', label: 'Nudge up (Shift: 10)' },
  { keys: 'ArrowDown', command: 'nudge-down', label: 'Nudge down (Shift: 10)' },
  { keys: 'Shift+1', command: 'zoom-fit', label: 'Zoom to fit' },
  { keys: '?', command: 'help', label: 'Show or hide this help' },
];
