// Playback (issue 17): a scrubber that replays the canvas from its first batch to now, read-only, at a chosen speed,
// with each author's changes outlined in their colour and a legend of who they are. While it is open the editor's
// renderer draws the playback's model instead of the live one (exports too: they take what is shown); the live
// document goes on receiving changes underneath and is drawn again when playback closes.
//
// The log is read in pages (GET .../history/batches, 1,000 batches each, the next one asked for while the current one
// plays); a jump backwards or far ahead loads the state at that seq (GET .../history/state?seq=) and plays on from
// there. Each animation frame applies the batches that are due (pacing.ts) to the model and hands the renderer only
// the objects they changed, so a canvas of 10,000 batches plays at 60 frames a second (docs/benchmarks.md).
import type Konva from 'konva';
import { CanvasModel } from '../../sync/model';
import { asDrawn } from '../../sync/connectors';
import type { Renderer } from '../renderer';
import { estimatedBounds } from '../renderer';
import { intersects, type Bounds } from '../spatialIndex';
import { AuthorHighlights } from './highlights';
import { historyApi, type HistoryActor, type HistoryBatch } from './historyApi';
import { PlaybackClock, SPEEDS, withinFrameBudget, type Speed } from './pacing';
import './playback.css';

/** A jump ahead by at most this many seqs within the batches loaded plays them at once instead of loading a state. */
const PLAY_THROUGH_JUMP = 2000;
/** The next page is asked for when fewer batches than this are left to play. */
const PREFETCH_BELOW = 500;
/** Outlines are worked out for at most this many changed objects in a frame. */
const MAX_OUTLINED_PER_FRAME = 400;
const TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export interface PlaybackHost {
  canvasId: string;
  stage: Konva.Stage;
  renderer: Renderer;
  /** The layer the renderer draws on: outlines are measured in its coordinates. */
  content: Konva.Layer;
  /** The last seq the live document has. */
  liveSeq(): number;
  /** What the view shows, in canvas units. */
  view(): Bounds;
  /** Playback opened: the editor drops its selection and takes no edits. */
  opened(): void;
  /** Playback closed: the editor draws the live document again. */
  closed(): void;
}

export class Playback {
  /** The top bar's button that opens and closes the scrubber. */
  readonly button: HTMLButtonElement;
  /** The scrubber, over the bottom of the canvas. */
  readonly bar: HTMLElement;
  /** The state shown while playback is open; null while closed. */
  model: CanvasModel | null = null;

  private seq = 0;
  /** Loaded batches after `seq`, from `next` on; `nextAfter` is where the next page starts (null: the log's end so far). */
  private batches: HistoryBatch[] = [];
  private next = 0;
  private nextAfter: number | null = null;
  private loading = false;
  /** Bumped by every jump and by closing: answers to requests made before it are dropped. */
  private generation = 0;
  /** Where a jump is going while its state loads, and the jump asked for meanwhile (a drag of the scrubber). */
  private jumping = false;
  private pendingJump: number | null = null;

  private playing = false;
  private speed: Speed = 16;
  private readonly clock = new PlaybackClock();
  private frame = 0;
  private lastFrame = 0;
  private lastAt: string | null = null;
  private lastActor: string | null = null;
  private readonly actors = new Map<string, HistoryActor>();
  private readonly highlights: AuthorHighlights;

  private readonly playButton: HTMLButtonElement;
  private readonly range: HTMLInputElement;
  private readonly position: HTMLElement;
  private readonly legend: HTMLElement;

  constructor(private readonly host: PlaybackHost) {
    this.highlights = new AuthorHighlights(host.stage);
    this.button = document.createElement('button');
    this.button.type = 'button';
    this.button.className = 'playback-button';
    this.button.setAttribute('aria-label', 'Playback');
    this.button.setAttribute('aria-pressed', 'false');
    this.button.dataset.tooltip = 'Playback: replay the canvas'; // a play sign over a scrubber (the history panel's is a clock)
    this.button.innerHTML = '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M8 4l10 6.5L8 17zM3 21h18M7 19v4"/></svg>';
    this.button.addEventListener('click', () => (this.model ? this.close() : this.open()));

    this.bar = document.createElement('section');
    this.bar.className = 'playback';
    this.bar.setAttribute('aria-label', 'Playback');
    this.bar.hidden = true;
    this.bar.innerHTML = `
      <button type="button" class="playback-play" aria-label="Play">▶</button>
      <input type="range" class="playback-range" aria-label="Position in the canvas's history" min="0" max="0" step="1" value="0" />
      <span class="playback-position" role="status"></span>
      <select class="playback-speed" aria-label="Speed">${SPEEDS.map(s => `<option value="${s}"${s === this.speed ? ' selected' : ''}>${s}×</option>`).join('')}</select>
      <ul class="playback-legend" aria-label="Authors"></ul>
      <button type="button" class="playback-close" aria-label="Close playback">✕</button>`;
    this.playButton = this.bar.querySelector('.playback-play')!;
    this.range = this.bar.querySelector('.playback-range')!;
    this.position = this.bar.querySelector('.playback-position')!;
    this.legend = this.bar.querySelector('.playback-legend')!;
    this.playButton.addEventListener('click', () => this.setPlaying(!this.playing));
    this.range.addEventListener('input', () => { this.setPlaying(false); this.jump(Number(this.range.value)); });
    this.bar.querySelector<HTMLSelectElement>('.playback-speed')!.addEventListener('change', e => {
      this.speed = Number((e.target as HTMLSelectElement).value) as Speed;
    });
    this.bar.querySelector('.playback-close')!.addEventListener('click', () => this.close());
  }

  /** Opens the scrubber, paused, at `seq` or at the last batch (Play then plays from the start). */
  open(seq?: number): void {
    if (!this.model) {
      // The state at seq 0 is the empty canvas: playback from the start loads no state, only batches.
      this.model = new CanvasModel();
      this.seq = 0;
      this.batches = [];
      this.next = 0;
      this.nextAfter = 0; // nothing loaded yet: the first page is the one after seq 0
      this.lastAt = null;
      this.lastActor = null;
      this.bar.hidden = false;
      this.button.setAttribute('aria-pressed', 'true');
      this.host.opened();
      this.host.renderer.update(this.model, 'all');
    }
    this.setPlaying(false);
    this.jump(seq ?? this.host.liveSeq());
  }

  close(): void {
    if (!this.model) return;
    this.generation++;
    this.loading = this.jumping = false;
    this.pendingJump = null;
    this.setPlaying(false);
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.model = null;
    this.batches = [];
    this.highlights.clear();
    this.bar.hidden = true;
    this.button.setAttribute('aria-pressed', 'false');
    this.host.closed();
  }

  /** The live document has a new seq: the scrubber reaches it. */
  liveChanged(): void {
    if (this.model) this.showPosition();
  }

  private setPlaying(playing: boolean): void {
    if (playing && this.atEnd()) { this.jump(0, true); return; } // played to the end: from the start again
    this.playing = playing;
    this.playButton.textContent = playing ? '❚❚' : '▶';
    this.playButton.setAttribute('aria-label', playing ? 'Pause' : 'Play');
    this.clock.restart();
    if (playing) this.animate();
  }

  /** Shows the state at `seq`: played through when it is a little ahead within what is loaded, loaded otherwise. */
  private jump(seq: number, thenPlay = false): void {
    seq = Math.max(0, Math.min(seq, this.host.liveSeq()));
    if (this.jumping) { this.pendingJump = seq; return; }
    this.highlights.clear();
    this.clock.restart();
    const model = this.model!;
    const last = this.batches.length > 0 ? this.batches[this.batches.length - 1].seq : this.seq;
    if (seq >= this.seq && (seq <= last || this.nextAfter === null) && seq - this.seq <= PLAY_THROUGH_JUMP) {
      const changed = new Set<string>();
      while (this.next < this.batches.length && this.batches[this.next].seq <= seq) {
        for (const id of model.apply(this.batches[this.next].ops)) changed.add(id);
        this.passed(this.batches[this.next++]);
      }
      this.host.renderer.update(model, changed);
      this.showPosition();
      this.load();
      if (thenPlay) this.setPlaying(true);
      return;
    }
    this.jumping = true;
    this.loading = false; // a page on its way is for the state left behind: dropped
    const generation = ++this.generation;
    this.showPosition(seq);
    historyApi.stateAt(this.host.canvasId, seq).then(state => {
      if (generation !== this.generation) return;
      this.model = CanvasModel.from(state.objects);
      this.seq = state.seq;
      this.batches = [];
      this.next = 0;
      this.nextAfter = state.seq;
      this.lastAt = null;
      this.lastActor = null;
      this.host.renderer.update(this.model, 'all');
      this.showPosition();
      this.load();
    }, error => this.failed(error)).finally(() => {
      if (generation !== this.generation) return;
      this.jumping = false;
      const pending = this.pendingJump;
      this.pendingJump = null;
      if (pending !== null) this.jump(pending, thenPlay);
      else if (thenPlay) this.setPlaying(true);
    });
  }

  /** Asks for the next page of batches when few are left to play. */
  private load(): void {
    if (this.loading || this.batches.length - this.next >= PREFETCH_BELOW) return;
    // The end of the log so far; the live document may have gone on since.
    if (this.nextAfter === null) {
      if (this.host.liveSeq() <= this.lastLoadedSeq()) return;
      this.nextAfter = this.lastLoadedSeq();
    }
    this.loading = true;
    const generation = this.generation;
    historyApi.batches(this.host.canvasId, this.nextAfter).then(page => {
      if (generation !== this.generation) return;
      this.loading = false;
      if (this.next > 0) { this.batches = this.batches.slice(this.next); this.next = 0; }
      this.batches.push(...page.batches);
      this.nextAfter = page.next;
      let newAuthor = false;
      for (const actor of page.actors) {
        newAuthor ||= !this.actors.has(actor.id);
        this.actors.set(actor.id, actor);
      }
      if (newAuthor) this.showLegend();
      this.showPosition();
      if (this.playing) this.load();
    }, error => {
      if (generation !== this.generation) return;
      this.loading = false;
      this.failed(error);
    });
  }

  private lastLoadedSeq(): number {
    return this.batches.length > 0 ? this.batches[this.batches.length - 1].seq : this.seq;
  }

  private animate(): void {
    if (this.frame === 0) {
      this.lastFrame = performance.now();
      this.frame = requestAnimationFrame(this.tick);
    }
  }

  /** One animation frame: the batches due are applied (within the frame's budget), then the outlines drawn. */
  private readonly tick = (now: number): void => {
    this.frame = 0;
    const elapsed = now - this.lastFrame;
    this.lastFrame = now;
    const model = this.model;
    if (!model) return;
    if (this.playing && !this.jumping) {
      if (this.next < this.batches.length) this.clock.advance(elapsed, this.speed);
      const changed = new Map<string, string>();
      const started = performance.now();
      let ops = 0;
      while (this.next < this.batches.length) {
        const batch = this.batches[this.next];
        const at = batch.at === null ? null : Date.parse(batch.at);
        if (!this.clock.isDue(at)) break;
        if (!withinFrameBudget(ops, performance.now() - started)) { this.clock.fellBehind(); break; }
        const color = this.actors.get(batch.actor)?.color ?? '#868e96';
        for (const id of model.apply(batch.ops)) changed.set(id, color);
        ops += batch.ops.length;
        this.clock.take(at);
        this.passed(batch);
        this.next++;
      }
      if (changed.size > 0) {
        this.host.renderer.update(model, changed.keys());
        this.outline(model, changed, now);
        this.showPosition();
      }
      this.load();
      if (this.atEnd()) { this.setPlaying(false); this.showPosition(); }
    }
    const fading = this.highlights.draw(now);
    if (this.playing || fading) this.frame = requestAnimationFrame(this.tick);
  };

  /** Whether playback has shown every batch the live document has. */
  private atEnd(): boolean {
    return this.next >= this.batches.length && this.nextAfter === null && !this.loading && !this.jumping && this.seq >= this.host.liveSeq();
  }

  private passed(batch: HistoryBatch): void {
    this.seq = batch.seq;
    this.lastAt = batch.at;
    this.lastActor = batch.actor;
  }

  /** Outlines the changed objects in view in their authors' colours. */
  private outline(model: CanvasModel, changed: Map<string, string>, now: number): void {
    const view = this.host.view();
    let outlined = 0;
    for (const [id, color] of changed) {
      const obj = model.get(id);
      if (!obj || !intersects(estimatedBounds(asDrawn(obj, model)), view)) continue;
      const node = this.host.renderer.nodes.get(id);
      if (node) this.highlights.mark(id, node.getClientRect({ relativeTo: this.host.content }), color, now);
      if (++outlined >= MAX_OUTLINED_PER_FRAME) break;
    }
  }

  /** The scrubber's thumb at the seq shown (or `going`, the seq a jump is loading), and what it shows in words. */
  private showPosition(going?: number): void {
    const live = this.host.liveSeq();
    this.range.max = String(live);
    const seq = going ?? this.seq;
    if (document.activeElement !== this.range || going === undefined) this.range.value = String(seq);
    const author = this.lastActor ? this.actors.get(this.lastActor)?.name ?? null : null;
    const when = this.lastAt ? TIME.format(new Date(this.lastAt)) : null;
    const parts = [`${seq.toLocaleString()} / ${live.toLocaleString()}`];
    if (going !== undefined) parts.push('loading…');
    else if (this.atEnd()) parts.push('now');
    else if (when) parts.push(author ? `${when}, ${author}` : when);
    const text = parts.join(' · ');
    if (this.position.textContent !== text) this.position.textContent = text;
    this.bar.dataset.seq = String(seq);
  }

  private showLegend(): void {
    this.legend.replaceChildren(...[...this.actors.values()].map(actor => {
      const item = document.createElement('li');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = actor.color;
      item.append(swatch, actor.name ?? 'Someone (account deleted)');
      return item;
    }));
  }

  private failed(error: unknown): void {
    this.setPlaying(false);
    this.position.textContent = error instanceof Error ? error.message : String(error);
  }
}
