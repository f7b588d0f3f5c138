// The tool buttons (an icon each) and the tooltips of the editor's icon buttons: the name and, when there is one, the
// key, shown on hover and on keyboard focus. One tooltip element serves every button, so nothing is built per hover.
import { TOOLS, readableKeys } from './tools';

const SVG = 'http://www.w3.org/2000/svg';

/** The tool buttons, each with its `data-tool` and, for the tooltip, its name and key. */
export function toolButtons(): HTMLButtonElement[] {
  return TOOLS.map(tool => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'tool';
    button.dataset.tool = tool.name;
    button.dataset.tooltip = tool.label;
    button.dataset.shortcut = readableKeys(tool.key);
    button.setAttribute('aria-label', tool.label);
    button.setAttribute('aria-keyshortcuts', tool.key.toUpperCase());
    const icon = document.createElementNS(SVG, 'svg');
    icon.setAttribute('viewBox', '0 0 24 24');
    icon.setAttribute('aria-hidden', 'true');
    const path = document.createElementNS(SVG, 'path');
    path.setAttribute('d', tool.icon);
    icon.append(path);
    button.append(icon);
    return button;
  });
}

/**
 * Shows a tooltip under any element of `container` with `data-tooltip` (its text) and optionally `data-shortcut`
 * (its key, already readable) while the pointer is over it or it has keyboard focus.
 */
export function installTooltips(container: HTMLElement): void {
  const tip = document.createElement('div');
  tip.className = 'tooltip';
  tip.id = 'tooltip';
  tip.setAttribute('role', 'tooltip');
  tip.hidden = true;
  container.append(tip);
  let owner: HTMLElement | null = null;

  const show = (target: HTMLElement) => {
    owner?.removeAttribute('aria-describedby');
    owner = target;
    const label = document.createElement('span');
    label.textContent = target.dataset.tooltip!;
    tip.replaceChildren(label);
    if (target.dataset.shortcut) {
      const key = document.createElement('kbd');
      key.textContent = target.dataset.shortcut;
      tip.append(key);
    }
    tip.hidden = false;
    target.setAttribute('aria-describedby', tip.id);
    const anchor = target.getBoundingClientRect();
    const half = tip.offsetWidth / 2;
    const centre = Math.min(Math.max(anchor.left + anchor.width / 2, half + 4), innerWidth - half - 4);
    tip.style.left = `${centre - half}px`;
    tip.style.top = `${anchor.bottom + 6}px`;
  };
  const hide = (target: EventTarget | null) => {
    if (!owner || (target instanceof Node && !owner.contains(target))) return;
    owner.removeAttribute('aria-describedby');
    owner = null;
    tip.hidden = true;
  };
  const tooltipped = (e: Event) => (e.target instanceof Element ? e.target.closest<HTMLElement>('[data-tooltip]') : null);

  container.addEventListener('pointerover', e => { const target = tooltipped(e); if (target && target !== owner) show(target); });
  container.addEventListener('pointerout', e => { if (!owner?.contains(e.relatedTarget as Node | null)) hide(e.target); });
  container.addEventListener('focusin', e => { const target = tooltipped(e); if (target?.matches(':focus-visible')) show(target); });
  container.addEventListener('focusout', e => hide(e.target));
  // A click acts on the button; the tooltip would cover what the click opens.
  container.addEventListener('pointerdown', () => hide(owner));
}
