// How playback paces the log's batches, apart from the page so that it can be tested alone. At 1× the edits come as
// they were made, except that a pause longer than MAX_PAUSE_MS is cut to that (hours between two sessions are not
// worth watching); 4× plays four times as fast, and so on. A frame applies what is due, but no more than its budget
// (FRAME_BUDGET_OPS ops, FRAME_BUDGET_MS of applying): a burst too big for one frame (an import of 500 objects, a
// quick drag at 1024×) is spread over the next frames, and the clock waits for it instead of skipping ahead, so the
// editor keeps drawing at 60 frames a second whatever the speed.

/** The speeds the scrubber offers. */
export const SPEEDS = [1, 4, 16, 64, 256, 1024] as const;
export type Speed = (typeof SPEEDS)[number];
/** The longest pause replayed, in ms of the log's time. */
export const MAX_PAUSE_MS = 500;
/** At most this many ops are applied in one animation frame... */
export const FRAME_BUDGET_OPS = 2000;
/** ...and no more batches are started once applying them took this long (the renderer draws the rest of the frame). */
export const FRAME_BUDGET_MS = 5;
/** A frame that came later than this (a background tab, a long jump) counts as this long: playback does not leap. */
const MAX_FRAME_MS = 100;

/**
 * The playback's clock, in ms of the log's time with its long pauses cut: `advance` it by each frame's time, apply the
 * batches that `isDue`, `take` each one applied, and say when the frame's budget ran out with some still due.
 */
export class PlaybackClock {
  /** Where playback is in the log's (shortened) time. */
  private now = 0;
  /** When the last batch applied was due, on the same clock. */
  private lastDue = 0;
  /** The time the last batch applied was made (ms since the epoch); null before the first one. */
  private lastAt: number | null = null;

  /** A frame of `elapsedMs` went by at `speed`×. */
  advance(elapsedMs: number, speed: number): void {
    this.now += Math.min(MAX_FRAME_MS, Math.max(0, elapsedMs)) * speed;
  }

  /** Whether a batch made at `at` (ms since the epoch; null when its time is unknown) is due now. */
  isDue(at: number | null): boolean {
    return this.lastDue + this.pauseBefore(at) <= this.now;
  }

  /** The batch made at `at` was applied. */
  take(at: number | null): void {
    this.lastDue += this.pauseBefore(at);
    if (at !== null) this.lastAt = at;
  }

  /** The frame's budget ran out with batches due: the clock waits for them rather than run ahead of what is shown. */
  fellBehind(): void {
    this.now = this.lastDue;
  }

  /** After a jump: the next batch is due at once, and the pauses after it count from it. */
  restart(): void {
    this.now = 0;
    this.lastDue = 0;
    this.lastAt = null;
  }

  private pauseBefore(at: number | null): number {
    return at === null || this.lastAt === null ? 0 : Math.min(MAX_PAUSE_MS, Math.max(0, at - this.lastAt));
  }
}

/** Whether a frame that applied `ops` ops in `elapsedMs` may start another batch. */
export const withinFrameBudget = (ops: number, elapsedMs: number): boolean => ops < FRAME_BUDGET_OPS && elapsedMs < FRAME_BUDGET_MS;
