// The text tool: a click makes a text as wide as its words, a drag one that wraps in the dragged width; either way
// the new text is selected and opens for editing in place. Enter edits the one selected text (any tool).
import { frameAt, zTop } from '../structure';
import { NEW_STYLE } from './draw';
import { boxBetween, round, type EditorServices, type EditorTool, type Point, type PointerInput } from './tool';

/** A drag narrower than this on screen is a click: the text is as wide as its words. */
const MIN_WRAP_WIDTH_PX = 8;

export class TextTool implements EditorTool {
  readonly name = 'text' as const;
  private start: Point | null = null;

  constructor(private readonly editor: EditorServices) {}

  onPointerDown({ at }: PointerInput): void {
    this.start = at;
    this.editor.showBand({ x: at.x, y: at.y, width: 0, height: 0 });
  }

  onPointerMove({ at }: PointerInput): void {
    if (this.start) this.editor.showBand(boxBetween(at, this.start));
  }

  onPointerUp({ at }: PointerInput): void {
    const start = this.start;
    if (!start) return;
    this.cancel();
    const doc = this.editor.doc();
    const width = Math.abs(at.x - start.x) * this.editor.scale() >= MIN_WRAP_WIDTH_PX ? round(Math.abs(at.x - start.x)) : undefined;
    const x = width === undefined ? start.x : Math.min(at.x, start.x), y = Math.min(at.y, start.y);
    const id = this.editor.newId();
    const parentId = frameAt(doc, x, y);
    this.editor.submit([{ op: 'put', id, props: {
      type: 'text', x, y, text: 'Text', fontSize: 24, ...(width !== undefined ? { width } : {}), ...NEW_STYLE.text, z: zTop(doc), ...(parentId ? { parentId } : {}),
    } }]);
    this.editor.setTool('select');
    this.editor.select([id]);
    // After the browser has finished handling this press (which moves focus to the canvas), not before.
    setTimeout(() => this.editor.editText(id));
  }

  cancel(): void {
    if (!this.start) return;
    this.start = null;
    this.editor.showBand(null);
  }
}

/** Enter (without Ctrl/Cmd) on the canvas edits the one selected text; true when it did. */
export function enterEditsText(editor: EditorServices, key: { key: string; ctrlKey: boolean; metaKey: boolean }): boolean {
  const selection = editor.selection();
  if (key.key !== 'Enter' || key.ctrlKey || key.metaKey || selection.length !== 1) return false;
  if (editor.doc().get(selection[0])?.type !== 'text') return false;
  editor.editText(selection[0]);
  return true;
}

/**
 * Keeps the words typed into text `id`: a text left empty is deleted (and leaves the selection). False when someone
 * deleted the text meanwhile.
 */
export function commitText(editor: EditorServices, id: string, text: string): boolean {
  if (!editor.doc().has(id)) return false;
  if (text.trim() === '') {
    editor.submit([{ op: 'delete', id }]);
    editor.select(editor.selection().filter(s => s !== id));
  } else {
    editor.submit([{ op: 'put', id, props: { text } }]);
  }
  return true;
}
