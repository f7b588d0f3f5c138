import { describe, expect, it } from 'vitest';
import { History, invert } from '../src/editor/history';
import { CanvasModel } from '../src/sync/model';
import type { Op } from '../src/sync/protocol';

function setup() {
  const model = new CanvasModel();
  const history = new History(() => model, ops => { model.apply(ops); });
  return { model, history };
}

describe('invert', () => {
  it('undoes creates, merges, removals, re-parenting and deletes of whole frames', () => {
    const model = new CanvasModel();
    model.apply([
      { op: 'put', id: 'f', props: { type: 'frame', width: 400 } },
      { op: 'put', id: 'c', props: { type: 'rect', parentId: 'f', x: 1, fill: '#fff' } },
      { op: 'put', id: 'd', props: { type: 'rect' } },
    ]);
    const before = JSON.stringify(model.toJSON());
    const ops: Op[] = [
      { op: 'put', id: 'c', props: { x: 5, fill: null } },
      { op: 'put', id: 'c', props: { x: 9 } },
      { op: 'put', id: 'd', props: { parentId: 'f' } },
      { op: 'put', id: 'n', props: { type: 'text', text: 'new' } },
      { op: 'delete', id: 'f' },
    ];
    const inverse = invert(model, ops);
    model.apply(ops);
    expect([...model.ids()]).toEqual(['n']);
    model.apply(inverse);
    expect(JSON.stringify(model.toJSON())).toBe(before);
  });
});

describe('History', () => {
  it('undoes a gesture as one step, and redo brings it back', () => {
    const { model, history } = setup();
    history.apply([{ op: 'put', id: 'r', props: { type: 'rect', x: 0 } }]);
    history.begin();
    for (let x = 1; x <= 10; x++) history.apply([{ op: 'put', id: 'r', props: { x } }]);
    history.end();
    expect(model.get('r')!.x).toBe(10);
    history.undo();
    expect(model.get('r')!.x).toBe(0);
    history.undo();
    expect(model.has('r')).toBe(false);
    history.redo();
    history.redo();
    expect(model.get('r')!.x).toBe(10);
  });

  it('undo a lot, then redo back: the document is unchanged', () => {
    const { model, history } = setup();
    const ids = ['a', 'b', 'c', 'f'];
    let seed = 3;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 300; i++) {
      const id = ids[Math.floor(random() * ids.length)];
      const roll = random();
      history.apply([
        roll < 0.3 ? { op: 'put', id, props: { type: id === 'f' ? 'frame' : 'rect', x: i } }
          : roll < 0.6 ? { op: 'put', id, props: { x: i, fill: random() < 0.5 ? '#111' : null } }
            : roll < 0.8 ? { op: 'put', id, props: { parentId: random() < 0.5 ? 'f' : null } }
              : { op: 'delete', id },
      ]);
    }
    const end = JSON.stringify(model.toJSON());
    let undone = 0;
    while (history.undo()) undone++;
    expect(undone).toBe(200); // the stack keeps the last 200 steps
    while (history.redo()) { /* all the way back */ }
    expect(JSON.stringify(model.toJSON())).toBe(end);
  });
});
