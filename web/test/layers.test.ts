import { describe, expect, it } from 'vitest';
import { groupOps, ungroupOps, withGroups } from '../src/editor/groups';
import { layerName, layerRows, reorderOps, rowObjects } from '../src/editor/layers';
import { CanvasModel } from '../src/sync/model';
import { isHidden, shown, toggleHiddenOps } from '../src/editor/visibility';
import { frameAt } from '../src/editor/structure';

const model = CanvasModel.from({
  a: { type: 'rect', z: 'V000' },
  b: { type: 'rect', z: 'V002', name: 'Bee' },
  t: { type: 'text', z: 'V001', text: 'Hello there\nsecond line' },
  f: { type: 'frame', z: 'V003' },
  c1: { type: 'rect', z: 'V004', parentId: 'f' },
  c2: { type: 'ellipse', z: 'V005', parentId: 'f' },
});

describe('layerRows', () => {
  it('lists the top first, frames below other objects, each frame followed by its children one level deeper', () => {
    expect(layerRows(model, new Set()).map(r => [r.id, r.depth, r.folder])).toEqual([
      ['b', 0, false], ['t', 0, false], ['a', 0, false], ['f', 0, true], ['c2', 1, false], ['c1', 1, false],
    ]);
  });

  it('leaves out what is inside a collapsed frame', () => {
    expect(layerRows(model, new Set(['f'])).map(r => r.id)).toEqual(['b', 't', 'a', 'f']);
  });

  it('names a layer by its name, a text by its first line, anything else by its type', () => {
    expect(['b', 't', 'a', 'f'].map(id => layerName(model.get(id)!))).toEqual(['Bee', 'Hello there', 'Rectangle', 'Frame']);
  });
});

describe('layerRows with groups', () => {
  const grouped = CanvasModel.from({
    a: { type: 'rect', z: 'V000', groupId: 'g' },
    b: { type: 'rect', z: 'V001' },
    c: { type: 'ellipse', z: 'V002', groupId: 'g' },
    f: { type: 'frame', z: 'V003' },
    d: { type: 'rect', z: 'V004', parentId: 'f', groupId: 'g' },
  });

  it('lists a group as a folder at its topmost member, its members one level in, per parent', () => {
    expect(layerRows(grouped, new Set()).map(r => [r.id, r.depth, r.folder])).toEqual([
      ['group::g', 0, true], ['c', 1, false], ['a', 1, false], ['b', 0, false], ['f', 0, true], ['group:f:g', 1, true], ['d', 2, false],
    ]);
    expect(layerRows(grouped, new Set(['group::g'])).map(r => r.id)).toEqual(['group::g', 'b', 'f', 'group:f:g', 'd']);
  });

  it('stands a group row for its members, and never drags it', () => {
    const rows = layerRows(grouped, new Set());
    expect(rowObjects(rows[0])).toEqual(['c', 'a']);
    expect(rowObjects(rows[3])).toEqual(['b']);
    expect(reorderOps(grouped, rows, 'b', 0)).toHaveLength(1); // above the group's row: above c
    expect(reorderOps(grouped, rows, 'group::g', 4)).toEqual([]);
  });
});

describe('reorderOps', () => {
  const rows = layerRows(model, new Set());
  const zOf = (ops: ReturnType<typeof reorderOps>) => (ops[0]?.op === 'put' ? ops[0].props.z : undefined);

  it('puts a z between the new neighbours among the siblings of its kind', () => {
    const top = zOf(reorderOps(model, rows, 'a', 0));
    expect(top! > 'V002').toBe(true); // above b
    const middle = zOf(reorderOps(model, rows, 'a', 1)); // between b and t
    expect(middle! > 'V001' && middle! < 'V002').toBe(true);
    const inFrame = zOf(reorderOps(model, rows, 'c1', 4)); // above c2, its only sibling
    expect(inFrame! > 'V005').toBe(true);
  });

  it('does nothing where the object already is', () => {
    expect(reorderOps(model, rows, 'a', 2)).toEqual([]);
    expect(reorderOps(model, rows, 'a', 3)).toEqual([]);
    expect(reorderOps(model, rows, 'f', 0)).toEqual([]); // the only frame
  });
});

describe('groups', () => {
  const grouped = CanvasModel.from({
    a: { type: 'rect', groupId: 'g1' }, b: { type: 'ellipse', groupId: 'g1' }, c: { type: 'rect' }, d: { type: 'rect', groupId: 'g2' },
  });

  it('selects the whole group of a member, and nothing more for an object in none', () => {
    expect(withGroups(grouped, ['a']).sort()).toEqual(['a', 'b']);
    expect(withGroups(grouped, ['c'])).toEqual(['c']);
    expect(withGroups(grouped, ['c', 'd']).sort()).toEqual(['c', 'd']);
  });

  it('groups two or more under one new id, and ungroups only members', () => {
    expect(groupOps(grouped, ['a', 'c'], 'g3')).toEqual([{ op: 'put', id: 'a', props: { groupId: 'g3' } }, { op: 'put', id: 'c', props: { groupId: 'g3' } }]);
    expect(groupOps(grouped, ['c'], 'g3')).toEqual([]);
    expect(ungroupOps(grouped, ['a', 'c'])).toEqual([{ op: 'put', id: 'a', props: { groupId: null } }]);
  });
});

describe('visibility', () => {
  const doc = CanvasModel.from({
    a: { type: 'rect', hidden: true }, b: { type: 'rect' },
    f: { type: 'frame', hidden: true }, g: { type: 'frame', parentId: 'f' }, c: { type: 'rect', parentId: 'g' },
  });

  it('takes an object inside a hidden frame, at any depth, as hidden', () => {
    expect(['a', 'b', 'f', 'g', 'c'].map(id => isHidden(doc, doc.get(id)))).toEqual([true, false, true, true, true]);
    expect(shown(doc, doc.ids())).toEqual(['b']);
  });

  it('puts nothing drawn or dropped into a hidden frame', () => {
    const frames = CanvasModel.from({
      outer: { type: 'frame', x: 0, y: 0, width: 400, height: 400 },
      inner: { type: 'frame', x: 100, y: 100, width: 100, height: 100, hidden: true },
    });
    expect(frameAt(frames, 150, 150)).toBe('outer');
  });

  it('hides all when any is shown, else shows all, only objects that exist', () => {
    expect(toggleHiddenOps(doc, ['a', 'b', 'gone'])).toEqual([{ op: 'put', id: 'a', props: { hidden: true } }, { op: 'put', id: 'b', props: { hidden: true } }]);
    expect(toggleHiddenOps(doc, ['a', 'f'])).toEqual([{ op: 'put', id: 'a', props: { hidden: null } }, { op: 'put', id: 'f', props: { hidden: null } }]);
  });
});
