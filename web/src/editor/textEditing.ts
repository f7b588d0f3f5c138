// Editing a text where it is drawn: a textarea in the text's own font, size, weight, alignment, colour and wrapping
// width, over the node (hidden meanwhile, and kept measuring the words so the textarea grows as the text will).
// Esc, Ctrl/Cmd+Enter or a click elsewhere ends it; what to do with the words is the caller's (tools/text.ts).
import Konva from 'konva';
import { TEXT_DEFAULTS } from './shapes';

/** The longest text kept: what the server accepts. */
const MAX_TEXT_LENGTH = 10_000;

/**
 * Opens the textarea over `node` (a text drawn on `stageEl`'s stage at `scale`), inside `container`; calls `done` once
 * with the words when editing ends.
 */
export function editTextInPlace(node: Konva.Text, fixedWidth: boolean, text: string, scale: number, stageEl: HTMLElement,
  container: Element, done: (text: string) => void): void {
  const area = document.createElement('textarea');
  area.className = 'text-editor';
  area.setAttribute('aria-label', 'Text');
  area.value = text;
  area.wrap = fixedWidth ? 'soft' : 'off';
  const at = node.getAbsolutePosition();
  Object.assign(area.style, {
    left: `${stageEl.offsetLeft + at.x}px`, top: `${stageEl.offsetTop + at.y}px`,
    transform: node.rotation() ? `rotate(${node.rotation()}deg)` : '',
    fontFamily: node.fontFamily(), fontWeight: node.fontStyle(), fontSize: `${node.fontSize() * scale}px`,
    lineHeight: String(TEXT_DEFAULTS.lineHeight), textAlign: node.align(), color: String(node.fill()),
  });
  const fit = () => {
    node.text(area.value || ' ');
    area.style.width = `${(fixedWidth ? node.width() : node.width() + node.fontSize()) * scale}px`;
    area.style.height = `${node.height() * scale}px`;
  };
  fit();
  node.visible(false);
  node.getLayer()?.batchDraw();
  area.addEventListener('input', fit);
  container.append(area);
  area.focus();
  area.select();
  let finished = false;
  const finish = () => {
    if (finished) return; // removing the textarea blurs it, which calls this again
    finished = true;
    const words = area.value.slice(0, MAX_TEXT_LENGTH);
    area.remove();
    done(words);
  };
  area.addEventListener('blur', finish);
  area.addEventListener('keydown', e => {
    if (e.key === 'Escape' || (e.key === 'Enter' && (e.ctrlKey || e.metaKey))) finish();
    e.stopPropagation();
  });
}
