// The History panel (issue 17): the canvas's versions, named and automatic, newest first, each with its author, time
// and thumbnail; "Save version…" names the canvas as it is now; a click shows a version read-only on the canvas
// (preview.ts), from where an editor restores it (one batch, one undo step) and anyone signed in duplicates it as a
// new canvas. Other history features (playback) add their buttons to `headerActions`. docs/version-history.md.
import type Konva from 'konva';
import type { Renderer } from '../renderer';
import { ApiError } from '../../api';
import type { Objects, Op, Role } from '../../sync/protocol';
import { readableKeys, SHORTCUTS } from '../tools';
import { exactTime, versionAuthor, versionTitle, versionWhen } from './format';
import { VersionPreview } from './preview';
import { Thumbnails } from './thumbnails';
import { versionApi, type VersionInfo } from './versionApi';

/** What the panel asks of the editor. */
export interface VersionHistoryHost {
  canvasId: string;
  stage: Konva.Stage;
  /** The live canvas's layers, hidden while a version shows. */
  liveLayers: Konva.Layer[];
  /** Culls a version's renderer with the view until the returned function is called (Viewport.alsoCull). */
  cullWithView(renderer: Renderer): () => void;
  role(): Role | null;
  /** Whether a person is signed in (a share link's guest cannot own a duplicate). */
  signedIn: boolean;
  /** A restore was made by this person: `undo` (the server's inverse of its batch) is one step of their undo history. */
  restored(undo: Op[]): void;
  /** A version starts or stops showing: while it does, the canvas takes no edit. */
  previewChanged(active: boolean): void;
  notify(text: string): void;
  focusCanvas(): void;
  /** Plays history back from a seq (the playback scrubber); the banner offers "Play from here" when given. */
  playFrom?: (seq: number) => void;
}

/** Version states fetched lately, for thumbnails and previews (a version never changes). */
const KEPT_STATES = 12;

const HISTORY_ICON = '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M4 12a8 8 0 1 0 2.3-5.6M4 4v4h4M12 8v4l3 2"/></svg>';

export class VersionHistory {
  readonly panel = document.createElement('aside');
  /** The top bar's button that shows and hides the panel, pressed while it shows. */
  readonly button = document.createElement('button');
  /** Where other history features put their buttons (e.g. Playback), in the panel's head. */
  readonly headerActions = document.createElement('div');
  private readonly preview: VersionPreview;
  private readonly list = document.createElement('ol');
  private readonly error = document.createElement('p');
  private readonly saveButton = document.createElement('button');
  private readonly saveForm = document.createElement('form');
  private readonly nameInput = document.createElement('input');
  private readonly thumbnails: Thumbnails;
  private readonly states = new Map<string, Promise<Objects>>();
  private versions: VersionInfo[] = [];

  constructor(private readonly host: VersionHistoryHost) {
    this.preview = new VersionPreview(host.stage, host.liveLayers, renderer => host.cullWithView(renderer), {
      back: () => this.back(),
      restore: version => void this.restore(version),
      duplicate: version => void this.duplicate(version),
      mayRestore: () => this.mayEdit(),
      mayDuplicate: () => host.signedIn,
      playFrom: host.playFrom && (version => { this.back(); host.playFrom!(version.seq); }),
    });

    const shortcut = SHORTCUTS.find(s => s.command === 'history')!;
    this.button.type = 'button';
    this.button.className = 'history-button';
    this.button.setAttribute('aria-label', 'Version history');
    this.button.setAttribute('aria-pressed', 'false');
    this.button.dataset.tooltip = 'Version history';
    this.button.dataset.shortcut = readableKeys(shortcut.keys);
    this.button.innerHTML = HISTORY_ICON;
    this.button.addEventListener('click', () => this.toggle());

    this.panel.className = 'history';
    this.panel.setAttribute('aria-label', 'Version history');
    this.panel.hidden = true;
    const head = document.createElement('header');
    const heading = document.createElement('h2');
    heading.textContent = 'Version history';
    this.headerActions.className = 'history-actions';
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'history-close';
    close.setAttribute('aria-label', 'Close version history');
    close.textContent = '×';
    close.addEventListener('click', () => this.toggle());
    head.append(heading, this.headerActions, close);

    this.saveButton.type = 'button';
    this.saveButton.className = 'save-version';
    this.saveButton.textContent = 'Save version…';
    this.saveButton.addEventListener('click', () => this.askName());
    this.buildSaveForm();

    this.error.className = 'error history-error';
    this.error.hidden = true;
    this.list.className = 'version-list';
    this.list.setAttribute('aria-label', 'Versions');
    this.thumbnails = new Thumbnails(this.list, id => this.state(id));
    this.panel.append(head, this.saveButton, this.saveForm, this.error, this.list);
    this.panel.addEventListener('keydown', e => {
      if (e.key !== 'Escape' || e.target === this.nameInput) return;
      if (this.previewing) this.back(); else this.toggle();
    });
  }

  /** The banner shown over the canvas while a version shows. */
  get banner(): HTMLElement { return this.preview.banner; }

  /** Whether a version shows read-only instead of the live canvas. */
  get previewing(): boolean { return this.preview.version !== null; }

  toggle(): void {
    const open = this.panel.hidden;
    this.panel.hidden = !open;
    this.button.setAttribute('aria-pressed', String(open));
    if (open) void this.refresh();
    else {
      this.back();
      this.host.focusCanvas();
    }
  }

  /** The session's role changed: what it may do here changes with it. */
  roleChanged(): void {
    this.saveButton.hidden = !this.mayEdit();
    if (!this.mayEdit()) this.saveForm.hidden = true;
    this.preview.offerActions();
  }

  /** Back to the live canvas, if a version shows. */
  back(): void {
    if (!this.previewing) return;
    this.preview.hide();
    this.markShown(null);
    this.host.previewChanged(false);
    this.host.focusCanvas();
  }

  private mayEdit(): boolean {
    const role = this.host.role();
    return role === 'editor' || role === 'owner';
  }

  /** Lists the versions again (on opening, after a save). */
  private async refresh(): Promise<void> {
    this.roleChanged();
    try {
      this.versions = await versionApi.list(this.host.canvasId);
      this.showError(null);
    } catch (e) {
      this.versions = [];
      this.showError(e);
    }
    this.render();
  }

  private render(): void {
    this.thumbnails.clear();
    const now = new Date();
    this.list.replaceChildren(...this.versions.map(version => {
      const item = document.createElement('li');
      const row = document.createElement('button');
      row.type = 'button';
      row.className = 'version';
      row.dataset.versionId = version.id;
      row.dataset.kind = version.kind;
      row.title = `${versionTitle(version)}: ${exactTime(version.createdAt)}. Click to view it.`;
      const thumb = document.createElement('div');
      thumb.className = 'version-thumb';
      const text = document.createElement('div');
      text.className = 'version-text';
      const title = document.createElement('span');
      title.className = 'version-title';
      title.textContent = versionTitle(version);
      const meta = document.createElement('span');
      meta.className = 'version-meta';
      meta.textContent = `${versionAuthor(version)} · ${versionWhen(version.createdAt, now)}`;
      text.append(title, meta);
      row.append(thumb, text);
      row.addEventListener('click', () => void this.show(version));
      item.append(row);
      this.thumbnails.watch(thumb, version.id);
      return item;
    }));
    if (this.versions.length === 0 && this.error.hidden) {
      const empty = document.createElement('li');
      empty.className = 'version-empty';
      empty.textContent = 'No versions yet. Save one, or one is saved after a burst of edits.';
      this.list.append(empty);
    }
    this.markShown(this.preview.version);
  }

  /** Shows a version read-only on the canvas. */
  private async show(version: VersionInfo): Promise<void> {
    // A big version takes a moment to fetch and draw: its row says it is on its way.
    const row = [...this.list.querySelectorAll<HTMLElement>('.version')].find(r => r.dataset.versionId === version.id);
    row?.setAttribute('aria-busy', 'true');
    try {
      const objects = await this.state(version.id);
      const starting = !this.previewing;
      this.preview.show(version, objects);
      this.markShown(version);
      this.showError(null);
      if (starting) this.host.previewChanged(true);
      this.host.focusCanvas(); // where Esc goes back
    } catch (e) {
      this.showError(e);
    } finally {
      row?.removeAttribute('aria-busy');
    }
  }

  private async restore(version: VersionInfo): Promise<void> {
    const title = versionTitle(version);
    try {
      const result = await versionApi.restore(this.host.canvasId, version.id);
      this.host.restored(result.undo);
      this.back();
      this.host.notify(result.seq === null ? `The canvas already is “${title}”.` : `Restored “${title}”. ${readableKeys('Mod+z')} undoes it.`);
    } catch (e) {
      this.host.notify(`Could not restore “${title}”: ${message(e)}`);
    }
  }

  /** Makes a new canvas of the version, owned by this person, and opens it. */
  private async duplicate(version: VersionInfo): Promise<void> {
    try {
      const copy = await versionApi.duplicate(this.host.canvasId, version.id);
      location.assign(`/c/${copy.id}`);
    } catch (e) {
      this.host.notify(`Could not duplicate “${versionTitle(version)}”: ${message(e)}`);
    }
  }

  private askName(): void {
    this.saveButton.hidden = true;
    this.saveForm.hidden = false;
    this.nameInput.value = '';
    this.nameInput.focus();
  }

  private buildSaveForm(): void {
    this.saveForm.className = 'version-save';
    this.saveForm.hidden = true;
    const label = document.createElement('label');
    label.textContent = 'Version name';
    this.nameInput.maxLength = 100;
    this.nameInput.required = true;
    this.nameInput.placeholder = 'Before the client review';
    label.append(this.nameInput);
    const save = document.createElement('button');
    save.type = 'submit';
    save.className = 'primary';
    save.textContent = 'Save';
    const cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.textContent = 'Cancel';
    const done = () => { this.saveForm.hidden = true; this.saveButton.hidden = !this.mayEdit(); };
    cancel.addEventListener('click', done);
    this.nameInput.addEventListener('keydown', e => { if (e.key === 'Escape') { e.stopPropagation(); done(); this.saveButton.focus(); } });
    this.saveForm.append(label, save, cancel);
    this.saveForm.addEventListener('submit', async e => {
      e.preventDefault();
      const name = this.nameInput.value.trim();
      if (!name) return;
      save.disabled = true;
      try {
        await versionApi.save(this.host.canvasId, name);
        done();
        await this.refresh(); // the new row at the top says it was saved
      } catch (error) {
        this.showError(error);
      } finally {
        save.disabled = false;
      }
    });
  }

  /** The version's objects, fetched once and kept a while. */
  private state(versionId: string): Promise<Objects> {
    let state = this.states.get(versionId);
    if (!state) {
      state = versionApi.state(this.host.canvasId, versionId).then(s => s.objects);
      state.catch(() => this.states.delete(versionId));
      this.states.set(versionId, state);
      if (this.states.size > KEPT_STATES) this.states.delete(this.states.keys().next().value!);
    }
    return state;
  }

  private markShown(version: VersionInfo | null): void {
    for (const row of this.list.querySelectorAll<HTMLElement>('.version'))
      row.setAttribute('aria-current', String(row.dataset.versionId === version?.id));
  }

  private showError(error: unknown): void {
    this.error.hidden = error === null;
    this.error.textContent = error === null ? '' : message(error);
  }
}

const message = (error: unknown) => (error instanceof ApiError || error instanceof Error ? error.message : String(error));
