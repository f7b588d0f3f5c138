// The command palette (Ctrl/Cmd+K): a sentence in, components or changes out. It shows where the result is wanted
// (below the selection, or in the middle of the view; the server moves it to the nearest free space), what is left
// of the hourly limit, clear messages for commands it cannot do and for the limit, and what a command made and
// ignored. The result arrives like every other change, as one batch over the WebSocket; the server's undo ops make
// it one step of this user's history.
import { api, ApiError, type AiResult, type Viewport } from '../api';

export interface PaletteHost {
  canvasId: string;
  selection(): string[];
  viewport(): Viewport;
  /** Draws (or, with null, removes) the preview of where the result lands. */
  preview(box: Viewport | null, label: string): void;
  selectionBounds(): Viewport | null;
  applied(result: AiResult): void;
}

const EXAMPLES = [
  'create a login form',
  'add a pricing table with 3 tiers in dark theme',
  'a navbar with 5 links',
  'hero section in ocean theme',
  'table with 4 rows and 3 columns',
  'make these blue and rounded',
  'align left',
  'duplicate this 2 times',
];

/** The size the preview assumes for a new component: a typical card or form. */
const PREVIEW = { width: 380, height: 320 };

export class CommandPalette {
  private dialog: HTMLDialogElement | null = null;

  constructor(private readonly host: PaletteHost) {}

  open(): void {
    if (this.dialog) { this.dialog.querySelector('input')!.focus(); return; }
    const dialog = document.createElement('dialog');
    dialog.className = 'palette';
    dialog.setAttribute('aria-label', 'AI command');
    dialog.innerHTML = `
      <form class="palette-form">
        <input name="prompt" maxlength="500" autocomplete="off" aria-label="Command" placeholder="Describe what to make or change…" />
        <button type="submit" class="primary">Make</button>
      </form>
      <p class="palette-status" role="status"></p>
      <ul class="examples" aria-label="Examples">${EXAMPLES.map(e => `<li><button type="button">${e}</button></li>`).join('')}</ul>`;
    document.body.append(dialog);
    this.dialog = dialog;
    const input = dialog.querySelector('input')!;
    const status = dialog.querySelector<HTMLElement>('.palette-status')!;
    const submit = dialog.querySelector<HTMLButtonElement>('button[type=submit]')!;
    const say = (text: string, kind: 'info' | 'error' = 'info') => { status.textContent = text; status.dataset.kind = kind; };

    const showPreview = () => {
      const selected = this.host.selectionBounds();
      const edit = selected && /\b(these|this|them|it|selection|selected|align|distribute|stack|duplicate|delete|bigger|smaller|rounded)\b/i.test(input.value);
      if (edit) this.host.preview(selected, 'changes here');
      else if (selected) this.host.preview({ x: selected.x, y: selected.y + selected.height + 40, ...PREVIEW }, 'lands near here');
      else {
        const v = this.host.viewport();
        this.host.preview({ x: v.x + (v.width - PREVIEW.width) / 2, y: v.y + (v.height - PREVIEW.height) / 2, ...PREVIEW }, 'lands near here');
      }
    };
    input.addEventListener('input', showPreview);
    showPreview();
    api.aiInfo().then(info => say(`${info.remaining} commands left this hour · ${info.interpreter === 'claude' ? 'Claude' : 'built-in parser'}`),
      () => say('Sign in to use AI commands.', 'error'));

    for (const button of dialog.querySelectorAll<HTMLButtonElement>('.examples button'))
      button.addEventListener('click', () => { input.value = button.textContent ?? ''; showPreview(); input.focus(); });

    dialog.querySelector('form')!.addEventListener('submit', async event => {
      event.preventDefault();
      const prompt = input.value.trim();
      if (!prompt) { say('Type what to make or change, or pick an example.', 'error'); return; }
      submit.disabled = true;
      say('Working…');
      try {
        const result = await api.ai(this.host.canvasId, prompt, this.host.selection(), this.host.viewport());
        this.host.applied(result);
        // When part of the request was not carried out, or another interpreter than the one shown made it, the palette
        // stays open to say so; otherwise it gets out of the way.
        if (result.ignored.length > 0 || result.note) {
          say(`${result.note ? result.note + ' ' : ''}${result.summary} (${result.remaining} left this hour)`, 'error');
          input.value = '';
        } else {
          this.close();
        }
      } catch (e) {
        if (e instanceof ApiError && e.status === 429) {
          const minutes = Math.max(1, Math.ceil((e.retryAfterSeconds ?? 3600) / 60));
          say(`You have used this hour's AI commands. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, 'error');
        } else if (e instanceof ApiError) {
          const left = typeof e.problem?.remaining === 'number' ? ` (${e.problem.remaining} left this hour)` : '';
          say(e.message + left, 'error');
        } else {
          say('The server could not be reached. Try again.', 'error');
        }
      } finally {
        submit.disabled = false;
      }
    });
    dialog.addEventListener('close', () => this.close());
    dialog.showModal();
    input.focus();
  }

  close(): void {
    this.host.preview(null, '');
    const dialog = this.dialog;
    this.dialog = null;
    if (dialog?.open) dialog.close();
    dialog?.remove();
  }
}
