// The canvas's name in the top bar. Editors and owners click it to rename it in place: Enter saves it through the
// REST API (PATCH /api/canvases/{id}), Escape or an empty name puts the old one back, and so does a refusal.
import { api } from '../api';

export class CanvasTitle {
  private name = '';
  private editable = false;

  /** @param say shows why a rename did not happen (a notice over the canvas). */
  constructor(private readonly heading: HTMLElement, private readonly canvasId: string, private readonly say: (message: string) => void) {
    // The heading itself takes the click (and Enter from the keyboard), so its accessible name stays the canvas's name.
    heading.addEventListener('click', () => { if (this.editable && !this.field()) this.edit(); });
    heading.addEventListener('keydown', e => { if (e.key === 'Enter' && e.target === heading) { e.preventDefault(); heading.click(); } });
    void this.load();
    // The socket announces renames; one made while it was down is caught when this tab is looked at again.
    document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') void this.load(); });
  }

  /** Someone renamed the canvas (the socket says so): shown at once, unless this field is being edited. */
  renamed(name: string): void {
    this.name = name;
    this.show();
  }

  /** Only roles that may rename can click it (the server checks too). */
  setEditable(editable: boolean): void {
    this.editable = editable;
    this.heading.classList.toggle('renamable', editable);
    if (editable) {
      this.heading.tabIndex = 0;
      this.heading.title = 'Click to rename';
    } else {
      this.heading.removeAttribute('tabindex');
      this.heading.removeAttribute('title');
    }
  }

  private field(): HTMLInputElement | null { return this.heading.querySelector('input'); }

  private async load(): Promise<void> {
    try {
      this.name = (await api.get(this.canvasId)).name;
      this.show();
    } catch {
      // no access or gone: the editor says so on its socket
    }
  }

  private show(): void {
    document.title = `${this.name} · CollabCanvas`;
    if (!this.field()) this.heading.textContent = this.name; // while being edited, the field keeps what is typed
  }

  private edit(): void {
    const input = document.createElement('input');
    input.className = 'title-input';
    input.value = this.name;
    input.maxLength = 100;
    input.setAttribute('aria-label', 'Canvas name');
    this.heading.replaceChildren(input);
    input.focus();
    input.select();
    let done = false;
    const finish = async (save: boolean) => {
      if (done) return; // removing the field blurs it, which comes here again
      done = true;
      const name = input.value.trim();
      if (save && name && name !== this.name) {
        try {
          this.name = (await api.rename(this.canvasId, name)).name;
        } catch (e) {
          this.say(e instanceof Error ? e.message : String(e));
        }
      }
      input.remove();
      this.show();
      this.heading.focus();
    };
    input.addEventListener('keydown', e => {
      e.stopPropagation(); // typed letters are not tool shortcuts
      if (e.key === 'Enter') void finish(true);
      else if (e.key === 'Escape') void finish(false);
    });
    input.addEventListener('blur', () => void finish(true));
  }
}
