import { describe, expect, it } from 'vitest';
import { CanvasModel } from '../src/sync/model';
import { descendantsOf } from '../src/editor/structure';

const rect = (id: string, props: Record<string, unknown> = {}) => ({ op: 'put' as const, id, props: { type: 'rect', ...props } as never });
const put = (id: string, props: Record<string, unknown>) => ({ op: 'put' as const, id, props: props as never });

describe('CanvasModel (the same rules as the server)', () => {
  it('creates with a type and merges without one', () => {
    const m = new CanvasModel();
    m.apply([rect('a', { x: 1 }), put('a', { y: 2, x: 5 })]);
    expect(m.toJSON()).toEqual({ a: { type: 'rect', x: 5, y: 2 } });
  });

  it('ignores a put without type to a missing object, and null removes a prop', () => {
    const m = new CanvasModel();
    m.apply([put('ghost', { x: 1 }), rect('a', { fill: '#fff' }), put('a', { fill: null })]);
    expect(m.toJSON()).toEqual({ a: { type: 'rect' } });
  });

  it('deletes children with their frame and refuses cycles and non-frame parents', () => {
    const m = new CanvasModel();
    m.apply([
      { op: 'put', id: 'f', props: { type: 'frame' } }, { op: 'put', id: 'g', props: { type: 'frame', parentId: 'f' } },
      rect('c', { parentId: 'g' }), rect('r'), rect('x', { parentId: 'r' }), put('f', { parentId: 'g' }),
    ]);
    expect(m.get('f')!.parentId).toBeUndefined();
    expect(m.get('x')!.parentId).toBeUndefined();
    m.apply([{ op: 'delete', id: 'f' }]);
    expect([...m.ids()].sort()).toEqual(['r', 'x']);
  });

  it('lists what is inside a frame at any depth, following moves out, in and deletes', () => {
    const m = new CanvasModel();
    m.apply([
      { op: 'put', id: 'f', props: { type: 'frame' } }, { op: 'put', id: 'g', props: { type: 'frame', parentId: 'f' } },
      rect('a', { parentId: 'f' }), rect('b', { parentId: 'g' }), rect('c', { parentId: 'g' }), rect('d'),
    ]);
    expect(descendantsOf(m, 'f').sort()).toEqual(['a', 'b', 'c', 'g']);
    m.apply([put('c', { parentId: null }), put('d', { parentId: 'g' }), { op: 'delete', id: 'a' }]);
    expect(descendantsOf(m, 'f').sort()).toEqual(['b', 'd', 'g']);
    expect(descendantsOf(m, 'g').sort()).toEqual(['b', 'd']);
    expect(descendantsOf(m, 'c')).toEqual([]);
  });

  it('keeps the type fixed', () => {
    const m = new CanvasModel();
    m.apply([rect('a', { x: 1 }), { op: 'put', id: 'a', props: { type: 'text', y: 3 } }]);
    expect(m.toJSON()).toEqual({ a: { type: 'rect', x: 1, y: 3 } });
  });

  it('reverts exactly what it recorded, deletes of whole frames included', () => {
    const m = new CanvasModel();
    m.apply([{ op: 'put', id: 'f', props: { type: 'frame' } }, rect('c', { parentId: 'f', x: 1 }), rect('d')]);
    const before = JSON.stringify(m.toJSON());
    const undo: Parameters<CanvasModel['revert']>[0] = [];
    m.apply([put('c', { x: 9, fill: '#fff' }), put('d', { parentId: 'f' }), { op: 'delete', id: 'f' }, rect('n')], undo);
    expect([...m.ids()]).toEqual(['n']);
    m.revert(undo);
    expect(JSON.stringify(m.toJSON())).toBe(before);
    m.apply([{ op: 'delete', id: 'f' }]); // the children index was restored too
    expect([...m.ids()]).toEqual(['d']);
  });

  it('round-trips through its wire form', () => {
    const m = new CanvasModel();
    m.apply([{ op: 'put', id: 'f', props: { type: 'frame' } }, rect('c', { parentId: 'f', points: [1, 2] })]);
    expect(CanvasModel.from(m.toJSON()).toJSON()).toEqual(m.toJSON());
  });
});
