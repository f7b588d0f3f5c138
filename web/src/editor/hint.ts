// What an empty canvas says to someone who may draw on it: the tools with their keys and the few keys worth knowing
// first, from the same tables as the toolbar and the `?` panel. It lets the pointer through and goes away with the
// first object (it comes back if the canvas is emptied again).
import { SHORTCUTS, TOOLS, readableKeys, type Command } from './tools';

const FIRST_KEYS: Command[] = ['ai', 'help'];

export class EmptyCanvasHint {
  private readonly element = document.createElement('div');

  /** @param aiCommands whether AI commands are on for this user (a feature flag): the hint names their key only then. */
  constructor(parent: HTMLElement, aiCommands: boolean) {
    this.element.className = 'empty-hint';
    this.element.hidden = true;
    this.element.setAttribute('role', 'note');
    this.element.setAttribute('aria-label', 'How to start');
    const lead = document.createElement('p');
    lead.className = 'lead';
    lead.textContent = 'Pick a tool, then drag on the canvas';
    const tools = document.createElement('ul');
    tools.append(...TOOLS.filter(t => t.name !== 'select').map(t => item(readableKeys(t.key), t.label)));
    const keys = document.createElement('ul');
    keys.append(...FIRST_KEYS.filter(command => aiCommands || command !== 'ai').map(command => SHORTCUTS.find(s => s.command === command)!).map(s => item(readableKeys(s.keys), s.label)));
    this.element.append(lead, tools, keys);
    parent.append(this.element);
  }

  /** Shown while the canvas is empty and this user may add to it. */
  update(empty: boolean, canEdit: boolean): void {
    const hidden = !(empty && canEdit);
    if (this.element.hidden !== hidden) this.element.hidden = hidden; // called on every change: no needless style work
  }
}

function item(keys: string, label: string): HTMLLIElement {
  const li = document.createElement('li');
  const kbd = document.createElement('kbd');
  kbd.textContent = keys;
  li.append(kbd, ` ${label}`);
  return li;
}
