// The style panel: the selection's style, edited for every selected object at once. It shows only the fields that
// apply to every selected object, "Mixed" where they differ, and an unset prop as unset (what the object is drawn with
// then, greyed, never as if it were set). Every control is a button, select or input: reachable by Tab, labelled.
import type { CanvasModel } from '../sync/model';
import type { CanvasObject, ObjectType, Op, PropValue } from '../sync/protocol';
import { AUTO, NONE, PALETTE_NAMES, currentPalette, hasThemeDefault, paletteColor, type Paint } from './colors';
import { DEFAULT_FONT, FONTS, WEIGHTS } from './fonts';
import { DEFAULT_STROKE_WIDTH, TEXT_DEFAULTS } from './shapes';

const BOXES: ObjectType[] = ['rect', 'ellipse', 'frame'];
const STROKED: ObjectType[] = [...BOXES, 'line', 'arrow', 'path'];
export const TYPE_NAMES: Record<ObjectType, string> = {
  rect: 'Rectangle', ellipse: 'Ellipse', frame: 'Frame', text: 'Text', line: 'Line', arrow: 'Arrow', path: 'Drawing',
};

/** A button of a row of choices: the value it sets, its name for screen readers and tooltips, and what it shows. */
interface Choice { value: PropValue; label: string; face: string }

type Control =
  | { kind: 'paint'; paint: Paint }
  | { kind: 'choices'; choices: Choice[]; custom?: { min: number; max: number; step: number } }
  | { kind: 'select'; options: { value: PropValue; label: string }[] }
  | { kind: 'number'; min: number; max: number; step: number }
  | { kind: 'opacity' };

interface Field {
  prop: string;
  label: string;
  /** The types it applies to: it shows when every selected object is one of them. */
  types: ObjectType[];
  control: Control;
  /** What a missing value means, where the protocol says (a missing dash is solid); otherwise missing is "unset". */
  missing?: (obj: CanvasObject) => PropValue;
  /** What an unset value is drawn with, shown greyed in its place. */
  drawn?: (obj: CanvasObject) => PropValue;
  /** Shown only when this holds for the selection (a stroke's width and dash only where there is a stroke). */
  when?: (objects: CanvasObject[]) => boolean;
}

const line = (width: number) =>
  `<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 12h16" stroke-width="${width}" stroke-linecap="round"/></svg>`;
const dash = (pattern: string, cap = 'butt') =>
  `<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M3 12h18" stroke-width="2.5" stroke-dasharray="${pattern}" stroke-linecap="${cap}"/></svg>`;
const align = (offsets: number[]) =>
  `<svg viewBox="0 0 24 24" aria-hidden="true">${[6, 10, 14, 18].map((y, i) => `<path d="M${offsets[i]} ${y}h${i % 2 ? 10 : 16}"/>`).join('')}</svg>`;

/** The paint of an object as the panel shows it: stored, or what missing means for that type ("auto" or none). */
const paintOf = (paint: Paint) => (obj: CanvasObject): PropValue => hasThemeDefault(obj.type, paint) ? AUTO : NONE;
const hasStroke = (objects: CanvasObject[]) =>
  objects.some(o => (o.stroke ?? paintOf('stroke')(o)) !== NONE);

const FIELDS: Field[] = [
  { prop: 'fill', label: 'Fill', types: [...BOXES, 'text'], control: { kind: 'paint', paint: 'fill' }, missing: paintOf('fill') },
  { prop: 'stroke', label: 'Stroke', types: STROKED, control: { kind: 'paint', paint: 'stroke' }, missing: paintOf('stroke') },
  {
    prop: 'strokeWidth', label: 'Stroke width', types: STROKED, when: hasStroke, drawn: o => DEFAULT_STROKE_WIDTH[o.type],
    control: {
      kind: 'choices', custom: { min: 0, max: 1000, step: 1 },
      choices: [[1, 'Thin'], [2, 'Medium'], [4, 'Bold'], [8, 'Extra bold']].map(([w, name]) => ({ value: w, label: `${name} (${w})`, face: line(Number(w) * 0.75 + 0.5) })),
    },
  },
  {
    prop: 'dash', label: 'Dash', types: STROKED, when: hasStroke, missing: () => 'solid',
    control: {
      kind: 'choices', choices: [
        { value: 'solid', label: 'Solid', face: dash('none') },
        { value: 'dashed', label: 'Dashed', face: dash('5 3') },
        { value: 'dotted', label: 'Dotted', face: dash('0 4.5', 'round') },
      ],
    },
  },
  { prop: 'cornerRadius', label: 'Corner radius', types: ['rect', 'frame'], control: { kind: 'number', min: 0, max: 1000, step: 1 }, drawn: () => 0 },
  {
    prop: 'fontFamily', label: 'Font', types: ['text'], missing: () => DEFAULT_FONT.name,
    control: { kind: 'select', options: FONTS.map(f => ({ value: f.name, label: f.label })) },
  },
  {
    prop: 'fontSize', label: 'Size', types: ['text'], drawn: () => TEXT_DEFAULTS.fontSize,
    control: {
      kind: 'choices', custom: { min: 1, max: 1000, step: 1 },
      choices: [[16, 'S', 'Small'], [24, 'M', 'Medium'], [36, 'L', 'Large'], [64, 'XL', 'Extra large']]
        .map(([size, short, name]) => ({ value: size, label: `${name} (${size})`, face: String(short) })),
    },
  },
  {
    prop: 'fontWeight', label: 'Weight', types: ['text'], missing: () => TEXT_DEFAULTS.fontWeight,
    control: { kind: 'select', options: WEIGHTS.map(w => ({ value: w.value, label: w.label })) },
  },
  {
    prop: 'textAlign', label: 'Align', types: ['text'], missing: () => 'left',
    control: {
      kind: 'choices', choices: [
        { value: 'left', label: 'Left', face: align([4, 4, 4, 4]) },
        { value: 'center', label: 'Centre', face: align([4, 7, 4, 7]) },
        { value: 'right', label: 'Right', face: align([4, 10, 4, 10]) },
      ],
    },
  },
  { prop: 'opacity', label: 'Opacity', types: [...STROKED, 'text'], control: { kind: 'opacity' }, missing: () => 1 },
];

/** The selection's value of a field: one value for all, several ("mixed"), or none set. */
type Shown = { state: 'set'; value: PropValue } | { state: 'mixed' } | { state: 'unset'; drawn?: PropValue };

function shownOf(field: Field, objects: CanvasObject[]): Shown {
  const values = objects.map(o => o[field.prop] ?? field.missing?.(o));
  const keys = new Set(values.map(v => JSON.stringify(v ?? null)));
  if (keys.size > 1) return { state: 'mixed' };
  if (values[0] !== undefined) return { state: 'set', value: values[0] };
  const drawn = objects.map(o => field.drawn?.(o));
  return { state: 'unset', drawn: new Set(drawn).size === 1 ? drawn[0] : undefined };
}

/** A colour's name for people: a palette colour's, the theme's, none, or its hex. */
function colorName(value: PropValue): string {
  if (value === AUTO) return 'Theme';
  if (value === NONE) return 'None';
  const name = String(value);
  if (name.startsWith('palette:')) return name.slice(8).replace('-', ' ').replace(/^./, c => c.toUpperCase());
  return name.toUpperCase();
}

/** The CSS colour a swatch shows: the theme's own (custom properties), so the swatches change with the theme. */
function swatchColor(value: PropValue): string {
  if (value === AUTO) return 'var(--ink)';
  const name = String(value);
  return name.startsWith('palette:') ? `var(--palette-${name.slice(8)})` : name;
}

/**
 * The arrow keys move the focus among a group's buttons (left and right by one, up and down by a row of `columns`),
 * so that a palette is one Tab stop rather than sixteen.
 */
function arrowKeys(group: HTMLElement, columns: number): void {
  group.addEventListener('keydown', e => {
    const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -columns, ArrowDown: columns }[e.key];
    const buttons = [...group.querySelectorAll<HTMLButtonElement>('button')];
    const from = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (step === undefined || from < 0 || (columns === 1 && (e.key === 'ArrowUp' || e.key === 'ArrowDown'))) return;
    const to = buttons[Math.min(buttons.length - 1, Math.max(0, from + step))];
    e.preventDefault();
    for (const button of buttons) button.tabIndex = button === to ? 0 : -1;
    to.focus();
  });
}

export class PropertiesPanel {
  private ids: string[] = [];
  private objects: CanvasObject[] = [];

  /**
   * @param gesture begins (true) and ends (false) one undo step: a slider's drag or the custom picker's many `input`
   * events are one change, as a click on a swatch is.
   */
  constructor(private readonly root: HTMLElement, private readonly submit: (ops: Op[]) => void,
    private readonly gesture: (begin: boolean) => void) {}

  /** Makes the `input` events of a control until its `change` one undo step (ending only a step it began). */
  private oneStep(control: HTMLInputElement): void {
    let open = false;
    const end = () => { if (open) { open = false; this.gesture(false); } };
    control.addEventListener('input', () => { if (!open) { open = true; this.gesture(true); } });
    control.addEventListener('change', end);
    control.addEventListener('blur', end);
  }

  show(ids: string[], model: CanvasModel): void {
    this.ids = ids;
    this.objects = ids.map(id => model.get(id)).filter(o => o !== undefined);
    this.root.hidden = this.objects.length === 0;
    if (this.objects.length === 0) return;
    const types = new Set(this.objects.map(o => o.type));
    const fields = FIELDS.filter(f => [...types].every(t => f.types.includes(t)) && (!f.when || f.when(this.objects)));
    // Rebuild only when the set of fields changes, so that a focused control keeps its focus while values update.
    const signature = fields.map(f => f.prop).join(',') + (this.noneAllowed() ? ',none' : '');
    if (this.root.dataset.fields !== signature) {
      this.root.dataset.fields = signature;
      this.root.replaceChildren(document.createElement('h2'), ...fields.map(f => this.build(f)));
    }
    this.root.querySelector('h2')!.textContent = this.objects.length === 1
      ? TYPE_NAMES[this.objects[0].type]
      : types.size === 1 ? `${this.objects.length} ${TYPE_NAMES[this.objects[0].type].toLowerCase()}s` : `${this.objects.length} objects`;
    for (const field of fields) this.refresh(field, shownOf(field, this.objects));
  }

  /** Sets `prop` on every selected object. A stroke given to shapes drawn without one also gets a width to show it. */
  private set(prop: string, value: PropValue): void {
    this.submit(this.ids.map((id, i) => {
      const obj = this.objects[i];
      const props: Record<string, PropValue> = { [prop]: value };
      if (prop === 'stroke' && value !== NONE && !(Number(obj?.strokeWidth ?? DEFAULT_STROKE_WIDTH[obj?.type ?? 'rect']) > 0)) props.strokeWidth = 2;
      return { op: 'put', id, props };
    }));
  }

  private build(shared: Field): HTMLElement {
    // A text's fill is the colour of its letters.
    const field = shared.prop === 'fill' && this.objects.every(o => o.type === 'text') ? { ...shared, label: 'Colour' } : shared;
    const section = document.createElement('section');
    section.className = `field field-${field.control.kind}`;
    section.dataset.field = field.prop;
    const head = document.createElement('div');
    head.className = 'field-head';
    const title = document.createElement('span');
    title.className = 'field-label';
    title.id = `field-${field.prop}`;
    title.textContent = field.label;
    const value = document.createElement('span');
    value.className = 'field-value';
    value.setAttribute('aria-live', 'polite');
    head.append(title, value);
    section.append(head);
    const control = field.control;
    if (control.kind === 'paint') {
      const custom = document.createElement('input');
      custom.type = 'color';
      custom.dataset.prop = field.prop;
      custom.className = 'custom-color';
      custom.setAttribute('aria-label', `${field.label}: a custom colour`);
      custom.title = 'A custom colour';
      this.oneStep(custom);
      custom.addEventListener('input', () => this.set(field.prop, custom.value));
      head.append(custom);
      const grid = document.createElement('div');
      grid.className = 'swatches';
      grid.setAttribute('role', 'group');
      grid.setAttribute('aria-labelledby', title.id);
      arrowKeys(grid, 8);
      const values: PropValue[] = [AUTO, ...PALETTE_NAMES.slice(0, 7).map(paletteColor), ...(this.noneAllowed() ? [NONE] : []), ...PALETTE_NAMES.slice(7).map(paletteColor)];
      for (const swatchValue of values) {
        const swatch = this.button(field, swatchValue, colorName(swatchValue), '');
        swatch.classList.add('swatch');
        if (swatchValue === AUTO) swatch.setAttribute('aria-label', `${field.label}: the theme's colour`);
        if (swatchValue === AUTO) swatch.dataset.tooltip = "The theme's colour, in light and in dark";
        grid.append(swatch);
      }
      section.append(grid);
    } else if (control.kind === 'choices') {
      const row = document.createElement('div');
      row.className = 'choices';
      row.setAttribute('role', 'group');
      row.setAttribute('aria-labelledby', title.id);
      arrowKeys(row, 1);
      for (const choice of control.choices) row.append(this.button(field, choice.value, choice.label, choice.face));
      if (control.custom) row.append(this.numberInput(field, control.custom));
      section.append(row);
    } else if (control.kind === 'number') {
      section.append(this.numberInput(field, control));
    } else if (control.kind === 'select') {
      const select = document.createElement('select');
      select.dataset.prop = field.prop;
      select.setAttribute('aria-labelledby', title.id);
      for (const option of [{ value: '', label: 'Mixed' }, ...control.options]) {
        const element = document.createElement('option');
        element.value = String(option.value);
        element.textContent = option.label;
        if (option.value === '') element.hidden = element.disabled = true;
        select.append(element);
      }
      if (field.prop === 'fontFamily') for (const [i, font] of FONTS.entries()) select.options[i + 1].style.fontFamily = font.stack;
      select.addEventListener('change', () => {
        const option = control.options.find(o => String(o.value) === select.value);
        if (option) this.set(field.prop, option.value);
      });
      section.append(select);
    } else {
      const range = document.createElement('input');
      range.type = 'range';
      range.min = '0'; range.max = '1'; range.step = '0.05';
      range.dataset.prop = field.prop;
      range.setAttribute('aria-labelledby', title.id);
      this.oneStep(range);
      range.addEventListener('input', () => this.set(field.prop, Number(range.value)));
      section.append(range);
    }
    return section;
  }

  /** Only shapes with an inside may have no fill or stroke; a text or line without colour would be invisible. */
  private noneAllowed(): boolean {
    return this.objects.every(o => BOXES.includes(o.type));
  }

  private button(field: Field, value: PropValue, label: string, face: string): HTMLButtonElement {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.value = JSON.stringify(value);
    button.setAttribute('aria-label', `${field.label}: ${label}`);
    button.dataset.tooltip = label;
    button.innerHTML = face;
    if (field.control.kind === 'paint') button.style.setProperty('--swatch', swatchColor(value));
    button.addEventListener('click', () => this.set(field.prop, value));
    return button;
  }

  private numberInput(field: Field, bounds: { min: number; max: number; step: number }): HTMLInputElement {
    const input = document.createElement('input');
    input.type = 'number';
    input.dataset.prop = field.prop;
    input.min = String(bounds.min); input.max = String(bounds.max); input.step = String(bounds.step);
    input.setAttribute('aria-label', field.label);
    input.addEventListener('change', () => {
      if (input.value.trim() === '') return;
      const value = Number(input.value);
      if (Number.isFinite(value)) this.set(field.prop, Math.min(bounds.max, Math.max(bounds.min, value)));
    });
    return input;
  }

  private refresh(field: Field, shown: Shown): void {
    const section = this.root.querySelector<HTMLElement>(`[data-field="${field.prop}"]`)!;
    section.dataset.state = shown.state;
    const valueText = section.querySelector<HTMLElement>('.field-value')!;
    const current = shown.state === 'set' ? shown.value : undefined;
    const key = current === undefined ? undefined : JSON.stringify(current);
    const buttons = [...section.querySelectorAll<HTMLButtonElement>('button[data-value]')];
    for (const button of buttons) button.setAttribute('aria-pressed', String(button.dataset.value === key));
    // One Tab stop per row of buttons, on the pressed one (or the first); the arrow keys move along it.
    if (!buttons.some(b => b === document.activeElement)) {
      const stop = buttons.find(b => b.dataset.value === key) ?? buttons[0];
      for (const button of buttons) button.tabIndex = button === stop ? 0 : -1;
    }
    const text = (value: PropValue) => field.control.kind === 'paint' ? colorName(value)
      : field.control.kind === 'opacity' ? `${Math.round(Number(value) * 100)} %`
      : field.control.kind === 'select' ? field.control.options.find(o => o.value === value)?.label ?? String(value)
      : field.control.kind === 'choices' && !field.control.custom ? field.control.choices.find(c => c.value === value)?.label ?? String(value)
      : String(value);
    valueText.textContent = shown.state === 'mixed' ? 'Mixed' : shown.state === 'set' ? text(shown.value) : 'Not set';
    valueText.title = shown.state === 'unset' && shown.drawn !== undefined ? `Not set: drawn as ${text(shown.drawn)}` : '';
    const input = section.querySelector<HTMLInputElement | HTMLSelectElement>('[data-prop]');
    if (!input || document.activeElement === input) return;
    if (input instanceof HTMLSelectElement) {
      input.value = current === undefined ? '' : String(current);
    } else if (input.type === 'color') {
      // The custom picker shows the colour as drawn now: a hex as stored, a palette colour in this theme's shade.
      const palette = currentPalette();
      const drawn = current === AUTO ? palette.ink : typeof current === 'string' ? palette.named[current] ?? current : '';
      input.value = /^#[0-9a-f]{6}$/i.test(drawn) ? drawn : '#000000';
      input.classList.toggle('picked', typeof current === 'string' && current.startsWith('#'));
      if (typeof current === 'string' && current.startsWith('#')) input.style.setProperty('--swatch', current);
    } else if (input.type === 'number') {
      input.value = current === undefined ? '' : String(current);
      input.placeholder = shown.state === 'mixed' ? 'Mixed' : shown.state === 'unset' && shown.drawn !== undefined ? String(shown.drawn) : '';
    } else {
      input.value = current === undefined ? '1' : String(current);
    }
  }
}
