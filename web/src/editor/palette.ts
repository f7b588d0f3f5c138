// The command palette (Ctrl/Cmd+K): a sentence in, components or changes out. It shows where the result is wanted
// (below the selection, or in the middle of the view; the server moves it to the nearest free space), what is left
// of the hourly limit, clear messages for commands it cannot do and for the limit, and what a command made and
// ignored. The result arrives like every other change, as one batch over the WebSocket; the server's undo ops make
// it one step of this user's history. Claude's answers arrive as a preview first, drawn as the model makes them and
// seen by this user alone: Accept (Enter) applies it for everyone, Discard (Esc) drops it.
import { api, ApiError, type AiPreview, type AiResult, type Viewport } from '../api';
import type { Op } from '../sync/protocol';

export interface PaletteHost {
  canvasId: string;
  selection(): string[];
  viewport(): Viewport;
  /** Draws (or, with null, removes) the preview of where the result lands. */
  preview(box: Viewport | null, label: string): void;
  selectionBounds(): Viewport | null;
  /** Draws what a command would make (`reset`: instead of what was drawn before), apart from the canvas's objects. */
  showResult(ops: Op[], reset: boolean): void;
  clearResult(): void;
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
  /** Claude's answer waiting for Accept or Discard. */
  private pending: AiPreview | null = null;

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
      <div class="palette-decision" hidden>
        <button type="button" class="primary accept">Accept <kbd>Enter</kbd></button>
        <button type="button" class="discard">Discard <kbd>Esc</kbd></button>
      </div>
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

    const decision = dialog.querySelector<HTMLElement>('.palette-decision')!;
    const examples = dialog.querySelector<HTMLElement>('.examples')!;
    const failed = (e: unknown) => {
      if (e instanceof ApiError && e.status === 429) {
        const minutes = Math.max(1, Math.ceil((e.retryAfterSeconds ?? 3600) / 60));
        say(`You have used this hour's AI commands. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, 'error');
      } else if (e instanceof ApiError) {
        const left = typeof e.problem?.remaining === 'number' ? ` (${e.problem.remaining} left this hour)` : '';
        say(e.message + left, 'error');
      } else {
        say('The server could not be reached. Try again.', 'error');
      }
    };
    const applied = (result: AiResult) => {
      this.host.applied(result);
      // When part of the request was not carried out, or another interpreter than the one shown made it, the palette
      // stays open to say so; otherwise it gets out of the way.
      if (result.ignored.length > 0 || result.note) {
        say(`${result.note ? result.note + ' ' : ''}${result.summary} (${result.remaining} left this hour)`, 'error');
        input.value = '';
      } else {
        this.close();
      }
    };
    const decide = (waiting: boolean) => {
      decision.hidden = !waiting;
      examples.hidden = waiting;
      submit.hidden = waiting;
      input.readOnly = waiting;
    };
    const accept = async () => {
      const preview = this.pending!;
      this.pending = null;
      decide(false);
      say('Applying…');
      try {
        const result = await api.aiAccept(this.host.canvasId, preview.command);
        this.host.clearResult();
        applied(result);
      } catch (e) {
        this.host.clearResult();
        this.host.preview(null, '');
        failed(e);
      }
    };
    decision.querySelector('.accept')!.addEventListener('click', () => void accept());
    decision.querySelector('.discard')!.addEventListener('click', () => this.close());

    dialog.querySelector('form')!.addEventListener('submit', async event => {
      event.preventDefault();
      if (this.pending) { await accept(); return; }
      const prompt = input.value.trim();
      if (!prompt) { say('Type what to make or change, or pick an example.', 'error'); return; }
      submit.disabled = true;
      say('Working…');
      let drawn = 0;
      try {
        const answer = await api.ai(this.host.canvasId, prompt, this.host.selection(), this.host.viewport(), (ops, reset) => {
          drawn = (reset ? 0 : drawn) + ops.length;
          this.host.showResult(ops, reset);
          say(`Claude is drawing… ${drawn} object${drawn === 1 ? '' : 's'} so far`);
        });
        if ('applied' in answer) {
          applied(answer.applied);
        } else {
          const preview = answer.preview;
          if (!this.dialog) { void api.aiDiscard(this.host.canvasId, preview.command).catch(() => {}); return; } // closed meanwhile
          this.pending = preview;
          decide(true);
          say(`${preview.note ? preview.note + ' ' : ''}Preview: ${preview.summary}. Only you see it until you accept ` +
            `(${preview.remaining} left this hour).`);
          submit.disabled = false;
          dialog.querySelector<HTMLButtonElement>('.accept')!.focus();
        }
      } catch (e) {
        this.host.clearResult();
        failed(e);
      } finally {
        submit.disabled = false;
      }
    });
    dialog.addEventListener('close', () => this.close());
    dialog.showModal();
    input.focus();
  }

  close(): void {
    if (this.pending) void api.aiDiscard(this.host.canvasId, this.pending.command).catch(() => {}); // it expires anyway
    this.pending = null;
    this.host.clearResult();
    this.host.preview(null, '');
    const dialog = this.dialog;
    this.dialog = null;
    if (dialog?.open) dialog.close();
    dialog?.remove();
  }
}
