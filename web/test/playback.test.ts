import { describe, expect, it } from 'vitest';
import { FRAME_BUDGET_MS, FRAME_BUDGET_OPS, MAX_PAUSE_MS, PlaybackClock, withinFrameBudget } from '../src/editor/playback/pacing';
import { describeAuthor, describeChanges, describeValue, groupChanges, GROUP_WITHIN_MS } from '../src/editor/playback/changes';
import type { ObjectChange, PropChange } from '../src/editor/playback/historyApi';

/** Plays batches made at `times` (ms) for frames of `frameMs` at `speed`; the count applied after each frame. */
function play(times: (number | null)[], speed: number, frames: number, frameMs = 1000 / 60, budget = Infinity): number[] {
  const clock = new PlaybackClock();
  const applied: number[] = [];
  let next = 0;
  for (let f = 0; f < frames; f++) {
    clock.advance(frameMs, speed);
    let inFrame = 0;
    while (next < times.length && clock.isDue(times[next])) {
      if (inFrame >= budget) { clock.fellBehind(); break; }
      clock.take(times[next++]);
      inFrame++;
    }
    applied.push(next);
  }
  return applied;
}

describe('playback pacing', () => {
  it('at 1x plays batches as far apart as they were made', () => {
    // One batch every 100 ms, frames of 20 ms: five frames per batch after the first, which is due at once.
    const applied = play([0, 100, 200, 300], 1, 15, 20);
    expect(applied[0]).toBe(1);
    expect(applied[3]).toBe(1);
    expect(applied[4]).toBe(2);
    expect(applied[9]).toBe(3);
    expect(applied[14]).toBe(4);
  });

  it('divides the time by the speed', () => {
    const times = Array.from({ length: 100 }, (_, i) => i * 100); // 10 s of edits
    const at4 = play(times, 4, 60); // 1 s of frames at 4x: 4 s of edits
    expect(at4[59]).toBeGreaterThanOrEqual(40);
    expect(at4[59]).toBeLessThanOrEqual(42);
  });

  it('cuts a long pause to MAX_PAUSE_MS', () => {
    const hour = 3_600_000;
    const applied = play([0, hour, hour + 1], 1, 60); // 1 s of frames
    const frameOfSecond = applied.findIndex(n => n >= 2);
    expect(frameOfSecond).toBeGreaterThan(0);
    expect(frameOfSecond * (1000 / 60)).toBeLessThanOrEqual(MAX_PAUSE_MS + 1000 / 60);
    expect(applied[59]).toBe(3);
  });

  it('spreads a burst over frames when the budget runs out, and does not run ahead after it', () => {
    const burst = Array.from({ length: 50 }, () => 0); // 50 batches made at the same moment
    const applied = play([...burst, 10_000], 1, 12, 1000 / 60, 10);
    expect(applied.slice(0, 5)).toEqual([10, 20, 30, 40, 50]);
    // The batch 10 s later is due a pause (cut to MAX_PAUSE_MS) after the burst was shown, not at once.
    expect(applied[5]).toBe(50);
    expect(applied[11]).toBe(50);
  });

  it('applies batches without a time one after another, one frame each at most budget', () => {
    expect(play([null, null, null], 1, 1)).toEqual([3]);
  });

  it('keeps a frame within its budget of ops and time', () => {
    expect(withinFrameBudget(0, 0)).toBe(true);
    expect(withinFrameBudget(FRAME_BUDGET_OPS, 0)).toBe(false);
    expect(withinFrameBudget(0, FRAME_BUDGET_MS)).toBe(false);
  });
});

describe('per-object history in words', () => {
  it('writes values as a person reads them', () => {
    expect(describeValue(100.123)).toBe('100.12');
    expect(describeValue('#fa5252')).toBe('"#fa5252"');
    expect(describeValue(null)).toBe('—');
    expect(describeValue(true)).toBe('yes');
    expect(describeValue([0, 0, 10, 10, 20, 0])).toBe('3 points');
    expect(describeValue({ id: 'box1', x: 0.5, y: 1 })).toBe('bound to box1');
    expect(describeValue('x'.repeat(60))).toBe(JSON.stringify('x'.repeat(39) + '…'));
  });

  it('shows a change as old → new, a creation as the values set, a deletion as the values it had', () => {
    expect(describeChanges({ kind: 'changed', changes: [{ prop: 'x', before: 100, after: 140 }, { prop: 'fill', before: null, after: '#228be6' }] }))
      .toEqual(['x: 100 → 140', 'fill: — → "#228be6"']);
    expect(describeChanges({ kind: 'created', changes: [{ prop: 'type', before: null, after: 'rect' }] })).toEqual(['type: "rect"']);
    expect(describeChanges({ kind: 'deleted', changes: [{ prop: 'x', before: 5, after: null }] })).toEqual(['x: was 5']);
    expect(describeChanges({ kind: 'created', changes: [{ prop: 'type', before: null, after: 'rect' }, { prop: 'z', before: null, after: 'a0V' }] }))
      .toEqual(['type: "rect"']);
    expect(describeChanges({ kind: 'changed', changes: [{ prop: 'z', before: 'a0V', after: 'a1' }] })).toEqual(['moved in the stacking order']);
    expect(describeAuthor({ kind: 'changed', actorName: 'Bob' })).toBe('Bob changed');
    expect(describeAuthor({ kind: 'deleted', actorName: null })).toBe('Someone deleted');
  });
});

describe('per-object history grouped as people made it', () => {
  const t0 = Date.parse('2026-12-03T18:00:00Z');
  let seq = 0;
  const change = (actor: string, kind: ObjectChange['kind'], seconds: number, changes: PropChange[], version: string | null = null): ObjectChange => ({
    seq: ++seq, at: new Date(t0 + seconds * 1000).toISOString(), actor, actorName: actor, kind, changes,
    version: version === null ? null : { id: version, seq: 0, kind: 'named', name: version, author: null, authorName: null, createdAt: '', thumbnail: null },
  });

  it('folds a drawing gesture and a drag into one entry each, first before to last after', () => {
    const oldestFirst = [
      change('alice', 'created', 0, [{ prop: 'type', before: null, after: 'rect' }, { prop: 'x', before: null, after: 100 }, { prop: 'width', before: null, after: 1 }]),
      change('alice', 'changed', 0.1, [{ prop: 'width', before: 1, after: 50 }]),
      change('alice', 'changed', 0.2, [{ prop: 'width', before: 50, after: 100 }]),
      change('bob', 'changed', 5, [{ prop: 'x', before: 100, after: 120 }, { prop: 'y', before: 0, after: 3 }]),
      change('bob', 'changed', 5.1, [{ prop: 'x', before: 120, after: 250 }, { prop: 'y', before: 3, after: 0 }]),
    ];
    const groups = groupChanges([...oldestFirst].reverse());
    expect(groups.map(g => [g.actor, g.kind, g.count, g.seq])).toEqual([['bob', 'changed', 2, oldestFirst[4].seq], ['alice', 'created', 3, oldestFirst[2].seq]]);
    expect(describeChanges(groups[0])).toEqual(['x: 100 → 250']); // y came back to 0: left out
    expect(describeChanges(groups[1])).toEqual(['type: "rect"', 'x: 100', 'width: 100']);
  });

  it('keeps apart changes by others, far apart in time, across a version, and after a deletion', () => {
    const oldestFirst = [
      change('alice', 'changed', 0, [{ prop: 'x', before: 0, after: 1 }]),
      change('bob', 'changed', 1, [{ prop: 'x', before: 1, after: 2 }]),
      change('bob', 'changed', 1 + GROUP_WITHIN_MS / 1000 + 1, [{ prop: 'x', before: 2, after: 3 }]),
      change('bob', 'changed', 200, [{ prop: 'x', before: 3, after: 4 }], 'v1'),
      change('bob', 'deleted', 201, [{ prop: 'x', before: 4, after: null }], 'v1'),
      change('bob', 'created', 202, [{ prop: 'type', before: null, after: 'rect' }], 'v1'),
    ];
    expect(groupChanges([...oldestFirst].reverse()).map(g => g.count)).toEqual([1, 1, 1, 1, 1, 1]);
  });
});
