// Per-object history (issue 17): with one object selected, the side column has a "History" section listing who
// created, changed or deleted it and when, each change as "prop: before → after", with the version it belongs to
// (GET .../objects/{objectId}/history; a drag's many batches are one entry, changes.ts). Each entry can be shown in
// playback, at that change.
import { historyApi } from './historyApi';
import { describeAuthor, describeChanges, groupChanges, type ChangeGroup } from './changes';

const TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
/** Changes arriving while the list is open reload it this long after the last one. */
const RELOAD_DELAY_MS = 400;

export class ObjectHistory {
  readonly element: HTMLElement;
  private readonly details: HTMLDetailsElement;
  private readonly list: HTMLOListElement;
  private objectId: string | null = null;
  private reload: ReturnType<typeof setTimeout> | null = null;
  /** Bumped by every load: an answer for an earlier selection is dropped. */
  private generation = 0;

  /** @param play shows the canvas at a seq in playback. */
  constructor(private readonly canvasId: string, private readonly play: (seq: number) => void) {
    this.element = document.createElement('section');
    this.element.className = 'object-history';
    this.element.setAttribute('aria-label', 'History of the selected object');
    this.element.hidden = true;
    this.element.innerHTML = '<details><summary>History</summary><p class="object-history-state" role="status"></p><ol></ol></details>';
    this.details = this.element.querySelector('details')!;
    this.list = this.element.querySelector('ol')!;
    this.details.addEventListener('toggle', () => { if (this.details.open) this.load(); });
  }

  /** The selected object (null: none, or several): its history shows while the section is open. */
  show(objectId: string | null): void {
    this.element.hidden = objectId === null;
    if (objectId === this.objectId) return;
    this.objectId = objectId;
    this.list.replaceChildren();
    if (objectId !== null && this.details.open) this.load();
  }

  /** Objects changed: the list is loaded again, a moment later, when the selected one is among them. */
  changed(ids: ReadonlySet<string> | 'all'): void {
    if (this.objectId === null || !this.details.open || (ids !== 'all' && !ids.has(this.objectId))) return;
    if (this.reload !== null) clearTimeout(this.reload);
    this.reload = setTimeout(() => { this.reload = null; this.load(); }, RELOAD_DELAY_MS);
  }

  private load(): void {
    const objectId = this.objectId, generation = ++this.generation;
    if (objectId === null) return;
    const state = this.element.querySelector<HTMLElement>('.object-history-state')!;
    state.textContent = 'Loading…';
    historyApi.objectHistory(this.canvasId, objectId).then(changes => {
      if (generation !== this.generation) return;
      state.textContent = changes.length === 0 ? 'No change of this object is in the history.' : '';
      this.list.replaceChildren(...groupChanges(changes).map(group => this.entry(group)));
    }, error => {
      if (generation === this.generation) state.textContent = error instanceof Error ? error.message : String(error);
    });
  }

  private entry(change: ChangeGroup): HTMLLIElement {
    const item = document.createElement('li');
    item.className = 'object-change';
    item.dataset.seq = String(change.seq);
    const head = document.createElement('div');
    head.className = 'object-change-head';
    const who = document.createElement('strong');
    who.textContent = describeAuthor(change);
    const when = document.createElement('time');
    if (change.at) { when.dateTime = change.at; when.textContent = TIME.format(new Date(change.at)); }
    const play = document.createElement('button');
    play.type = 'button';
    play.className = 'object-change-play';
    play.textContent = '▶';
    play.setAttribute('aria-label', `Show in playback (change ${change.seq})`);
    play.title = 'Show the canvas at this change in playback';
    play.addEventListener('click', () => this.play(change.seq));
    head.append(who, when);
    if (change.count > 1) head.append(Object.assign(document.createElement('span'), { className: 'object-change-count', textContent: `${change.count} edits` }));
    head.append(play);
    const diffs = document.createElement('ul');
    diffs.className = 'object-change-props';
    for (const line of describeChanges(change)) diffs.append(Object.assign(document.createElement('li'), { textContent: line }));
    const version = document.createElement('p');
    version.className = 'object-change-version';
    version.textContent = change.version
      ? `In version ${change.version.name ? `“${change.version.name}”` : `of ${TIME.format(new Date(change.version.createdAt))} (automatic)`}`
      : 'Not in a version yet';
    item.append(head, diffs, version);
    return item;
  }
}
