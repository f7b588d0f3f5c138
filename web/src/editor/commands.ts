// What the keyboard shortcuts (tools.ts, SHORTCUTS) and the clipboard do. The editor supplies the services; the
// document changes are built by structure.ts and clipboard.ts.
import type { CanvasObject } from '../sync/protocol';
import { copyOf, pasteOps } from './clipboard';
import type { Box } from './snapping';
import { nudgeOps, restackOps, stepOps, zRange } from './structure';
import { movable, toggleLockOps } from './layers';
import { groupOps, ungroupOps } from './groups';
import { ARRANGE_BUTTONS } from './align';
import { shown, toggleHiddenOps } from './visibility';
import type { AlignCommand, Command } from './tools';
import type { EditorServices } from './tools/tool';

/** What commands use beyond the tools' services. */
export interface CommandServices extends EditorServices {
  undo(): void;
  redo(): void;
  toggleHelp(): void;
  zoomToFit(): void;
  /** Zooms to fit a box (canvas units); null does nothing. */
  zoomTo(box: Box | null): void;
  /** The box the selection's objects are drawn in, or null when nothing is selected. */
  selectionBounds(): Box | null;
  openAi(): void;
  toggleLayers(): void;
  /** Shows or hides the version history panel (versions/versionHistory.ts); nothing when the feature is off. */
  toggleHistory(): void;
  /** Aligns or distributes what of the selection may move, as one change (align.ts). */
  arrange(how: AlignCommand): void;
}

/** The action of each command; `e` is the key that ran it (Shift makes a nudge bigger). */
export function createCommands(editor: CommandServices): Record<Command, (e: { shiftKey: boolean }) => void> {
  const nudge = (dx: number, dy: number) => editor.submit(nudgeOps(editor.doc(), movable(editor.doc(), editor.selection()), dx, dy));
  const restack = (after: string | undefined, before: string | undefined) =>
    editor.submit(restackOps(editor.doc(), editor.selection(), after, before));
  return {
    delete: () => {
      const selection = editor.selection();
      editor.submit([...editor.connectors.beforeDelete(selection), ...selection.map(id => ({ op: 'delete' as const, id }))]);
      editor.select([]);
    },
    escape: () => editor.select([]),
    help: () => editor.toggleHelp(),
    'nudge-left': e => nudge(e.shiftKey ? -10 : -1, 0),
    'nudge-right': e => nudge(e.shiftKey ? 10 : 1, 0),
    'nudge-up': e => nudge(0, e.shiftKey ? -10 : -1),
    'nudge-down': e => nudge(0, e.shiftKey ? 10 : 1),
    'zoom-fit': () => editor.zoomToFit(),
    undo: () => editor.undo(),
    redo: () => editor.redo(),
    duplicate: () => paste(editor, copyOf(editor.doc(), [...editor.selection()]), 20),
    copy: () => {}, // the browser's copy event does it (installClipboard), with no permission prompt
    paste: () => {},
    'select-all': () => editor.select(shown(editor.doc(), movable(editor.doc(), [...editor.doc().ids()]))),
    'bring-front': () => restack(zRange(editor.doc()).top, undefined),
    'send-back': () => restack(undefined, zRange(editor.doc()).bottom),
    'bring-forward': () => editor.submit(stepOps(editor.doc(), editor.selection(), +1)),
    'send-backward': () => editor.submit(stepOps(editor.doc(), editor.selection(), -1)),
    'zoom-selection': () => editor.zoomTo(editor.selectionBounds()),
    ai: () => editor.openAi(),
    lock: () => editor.submit(toggleLockOps(editor.doc(), editor.selection())),
    hide: () => editor.submit(toggleHiddenOps(editor.doc(), editor.selection())),
    group: () => editor.submit(groupOps(editor.doc(), editor.selection(), editor.newId())),
    ungroup: () => editor.submit(ungroupOps(editor.doc(), editor.selection())),
    layers: () => editor.toggleLayers(),
    history: () => editor.toggleHistory(),
    ...Object.fromEntries(ARRANGE_BUTTONS.map(({ command }) => [command, () => editor.arrange(command)])) as Record<AlignCommand, () => void>,
  };
}

/** Adds `objects` under new ids, `offset` units right and down of where they were, on top; selects them. */
export function paste(editor: EditorServices, objects: Record<string, CanvasObject> | null, offset: number): void {
  if (!objects) return;
  const { ops, ids } = pasteOps(objects, offset, zRange(editor.doc()).top, () => editor.newId());
  editor.submit(ops);
  editor.select(ids);
}

/** Copy puts the selection on the clipboard as JSON, paste adds what it holds; only while the canvas has the focus. */
export function installClipboard(stageEl: HTMLElement, editor: EditorServices): void {
  document.addEventListener('copy', e => {
    const selection = editor.selection();
    if (document.activeElement !== stageEl || selection.length === 0) return;
    e.clipboardData?.setData('text/plain', JSON.stringify(copyOf(editor.doc(), [...selection])));
    e.preventDefault();
  });
  document.addEventListener('paste', e => {
    if (document.activeElement !== stageEl) return;
    try {
      paste(editor, JSON.parse(e.clipboardData?.getData('text/plain') ?? ''), 20);
      e.preventDefault();
    } catch {
      // not ours: ignore
    }
  });
}
