// The properties panel: the common props of the selection, edited for every selected object at once.
import type { CanvasModel } from '../sync/model';
import type { Op, PropValue } from '../sync/protocol';
import { AUTO, colorOf, currentPalette } from './colors';

interface Field { prop: string; label: string; kind: 'color' | 'number' | 'range' | 'align'; min?: number; max?: number; step?: number; types?: string[] }

const FIELDS: Field[] = [
  { prop: 'fill', label: 'Fill', kind: 'color' },
  { prop: 'stroke', label: 'Stroke', kind: 'color' },
  { prop: 'strokeWidth', label: 'Stroke width', kind: 'number', min: 0, max: 100, step: 1 },
  { prop: 'opacity', label: 'Opacity', kind: 'range', min: 0, max: 1, step: 0.05 },
  { prop: 'cornerRadius', label: 'Corner radius', kind: 'number', min: 0, max: 500, step: 1, types: ['rect', 'frame'] },
  { prop: 'fontSize', label: 'Font size', kind: 'number', min: 1, max: 400, step: 1, types: ['text'] },
  { prop: 'textAlign', label: 'Text align', kind: 'align', types: ['text'] },
];

export class PropertiesPanel {
  private ids: string[] = [];

  constructor(private readonly root: HTMLElement, private readonly submit: (ops: Op[]) => void) {}

  show(ids: string[], model: CanvasModel): void {
    this.ids = ids;
    const objects = ids.map(id => model.get(id)).filter(o => o !== undefined);
    this.root.hidden = objects.length === 0;
    if (objects.length === 0) return;
    const fields = FIELDS.filter(f => !f.types || objects.every(o => f.types!.includes(o.type)));
    // Rebuild only when the set of fields changes, so that a focused input keeps its focus while values update.
    const signature = fields.map(f => f.prop).join(',');
    if (this.root.dataset.fields !== signature) {
      this.root.dataset.fields = signature;
      this.root.innerHTML = `<h2>${objects.length === 1 ? objects[0].type : `${objects.length} objects`}</h2>` + fields.map(f => f.kind === 'color'
        // "Auto" gives the part back to the theme: drawn in its colour in light and in dark (docs/protocol.md).
        ? `<div class="color-field">
            <label>${f.label} <input data-prop="${f.prop}" type="color" /></label>
            <button type="button" data-auto="${f.prop}" aria-label="${f.label}: the theme's colour" title="The theme's colour, in light and in dark">Auto</button>
          </div>`
        : `<label>${f.label}
          ${f.kind === 'align'
            ? `<select data-prop="${f.prop}"><option>left</option><option>center</option><option>right</option></select>`
            : `<input data-prop="${f.prop}" type="${f.kind}" ${f.min !== undefined ? `min="${f.min}" max="${f.max}" step="${f.step}"` : ''} />`}
        </label>`).join('');
      for (const input of this.root.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-prop]')) {
        input.addEventListener('change', () => this.apply(input));
        if (input.type === 'range' || input.type === 'color') input.addEventListener('input', () => this.apply(input));
      }
      for (const button of this.root.querySelectorAll<HTMLButtonElement>('[data-auto]')) {
        button.addEventListener('click', () => this.submit(this.ids.map(id => ({ op: 'put', id, props: { [button.dataset.auto!]: AUTO } }))));
      }
    } else {
      this.root.querySelector('h2')!.textContent = objects.length === 1 ? objects[0].type : `${objects.length} objects`;
    }
    const palette = currentPalette();
    for (const button of this.root.querySelectorAll<HTMLButtonElement>('[data-auto]')) {
      button.setAttribute('aria-pressed', String(objects[0][button.dataset.auto!] === AUTO));
    }
    for (const input of this.root.querySelectorAll<HTMLInputElement | HTMLSelectElement>('[data-prop]')) {
      if (document.activeElement === input) continue;
      const value = objects[0][input.dataset.prop!];
      if (input.type === 'color') {
        const shown = colorOf(objects[0], input.dataset.prop as 'fill' | 'stroke', palette); // "auto" as the theme draws it
        input.value = /^#[0-9a-f]{6}$/i.test(shown) ? shown : '#000000';
      }
      else input.value = value === undefined ? (input.dataset.prop === 'opacity' ? '1' : input.dataset.prop === 'textAlign' ? 'left' : '0') : String(value);
    }
  }

  private apply(input: HTMLInputElement | HTMLSelectElement): void {
    const prop = input.dataset.prop!;
    let value: PropValue = input.value;
    if (input.type === 'number' || input.type === 'range') {
      value = Number(input.value);
      if (!Number.isFinite(value)) return;
      const min = Number((input as HTMLInputElement).min), max = Number((input as HTMLInputElement).max);
      value = Math.min(max, Math.max(min, value));
    }
    this.submit(this.ids.map(id => ({ op: 'put', id, props: { [prop]: value } })));
  }
}
