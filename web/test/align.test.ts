import { describe, expect, it } from 'vitest';
import { arrange, arrangeOps } from '../src/editor/align';
import { toggleLockOps } from '../src/editor/layers';
import { CanvasModel } from '../src/sync/model';

const boxes = new Map([
  ['a', { x: 100, y: 100, width: 80, height: 60 }],
  ['b', { x: 260, y: 180, width: 120, height: 40 }],
  ['c', { x: 520, y: 140, width: 60, height: 90 }],
]);

describe('arrange', () => {
  it('aligns edges and centres on the selection box, leaving what is already there', () => {
    expect([...arrange(boxes, 'align-left')]).toEqual([['b', { dx: -160, dy: 0 }], ['c', { dx: -420, dy: 0 }]]);
    expect(arrange(boxes, 'align-right').get('a')).toEqual({ dx: 400, dy: 0 });
    expect(arrange(boxes, 'align-center').get('b')).toEqual({ dx: 20, dy: 0 }); // box 100–580: centre 340; b 120 wide: x 280
    expect(arrange(boxes, 'align-bottom').get('a')).toEqual({ dx: 0, dy: 70 });
    expect(arrange(boxes, 'align-middle').get('c')).toEqual({ dx: 0, dy: -20 }); // box 100–230: middle 165, c 90 tall: y 120
  });

  it('distributes with equal gaps between neighbours ordered by centre; the outer two stay', () => {
    const moves = arrange(boxes, 'distribute-horizontal');
    expect([...moves]).toEqual([['b', { dx: 30, dy: 0 }]]); // gaps (480 − 260) / 2 = 110: b at 290
    expect(arrange(new Map([...boxes].slice(0, 2)), 'distribute-vertical').size).toBe(0); // two: nothing between
  });

  it('moves a frame with what is inside it, and a selected child only with its frame', () => {
    const model = CanvasModel.from({
      f: { type: 'frame', x: 0, y: 0, width: 100, height: 100 },
      child: { type: 'rect', x: 10, y: 10, width: 10, height: 10, parentId: 'f' },
      r: { type: 'rect', x: 300, y: 50, width: 10, height: 10 },
    });
    const boxOf = (id: string) => { const o = model.get(id)!; return { x: o.x as number, y: o.y as number, width: o.width as number, height: o.height as number }; };
    const ops = arrangeOps(model, ['f', 'child', 'r'], boxOf, 'align-right', id => (id === 'f' ? ['child'] : []));
    expect(ops).toEqual([
      { op: 'put', id: 'f', props: { x: 210, y: 0 } },
      { op: 'put', id: 'child', props: { x: 220, y: 10 } },
    ]);
  });
});

describe('toggleLockOps', () => {
  const model = CanvasModel.from({ a: { type: 'rect', locked: true }, b: { type: 'rect' }, c: { type: 'rect', locked: true } });

  it('locks all when any is unlocked, else unlocks; with nothing selected unlocks every locked object', () => {
    expect(toggleLockOps(model, ['a', 'b'])).toEqual([{ op: 'put', id: 'a', props: { locked: true } }, { op: 'put', id: 'b', props: { locked: true } }]);
    expect(toggleLockOps(model, ['a'])).toEqual([{ op: 'put', id: 'a', props: { locked: null } }]);
    expect(toggleLockOps(model, []).map(op => op.id)).toEqual(['a', 'c']);
  });
});
