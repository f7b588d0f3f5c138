// The tools and the move gesture, driven as the editor drives them (pointer input in canvas units) against a real
// model and undo history, with the editor's drawing and DOM faked: what each gesture does to the document.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { History } from '../src/editor/history';
import { createCommands, type CommandServices } from '../src/editor/commands';
import type { Box } from '../src/editor/snapping';
import type { ToolName } from '../src/editor/tools';
import { MoveGesture, type Movable } from '../src/editor/tools/move';
import { createTools } from '../src/editor/tools/registry';
import { commitText, enterEditsText } from '../src/editor/tools/text';
import type { Point, PointerInput } from '../src/editor/tools/tool';
import { CanvasModel } from '../src/sync/model';
import type { Op } from '../src/sync/protocol';

/** An editor without a screen: every object's box is its x, y, width and height. */
function fakeEditor(objects: Record<string, Record<string, unknown>> = {}) {
  const model = new CanvasModel();
  model.apply(Object.entries(objects).map(([id, props]) => ({ op: 'put', id, props }) as Op));
  const history = new History(() => model, ops => { model.apply(ops); });
  let ids = 0;
  const state = {
    model, history,
    selection: [] as string[],
    tool: 'select' as ToolName,
    band: null as Box | null,
    guides: { vertical: [] as number[], horizontal: [] as number[] },
    edited: [] as string[],
    scale: 1,
    submitted: [] as Op[][],
  };
  const services: CommandServices = {
    doc: () => model,
    submit: ops => { state.submitted.push(ops); history.apply(ops); },
    beginStep: () => history.begin(),
    endStep: () => history.end(),
    selection: () => state.selection,
    select: next => { state.selection = next.filter(id => model.has(id)); },
    setTool: name => { state.tool = name; },
    newId: () => `n${++ids}`,
    scale: () => state.scale,
    *visibleBounds(except) {
      for (const [id, o] of model.entries()) {
        if (!except.has(id)) yield { id, x: o.x as number ?? 0, y: o.y as number ?? 0, width: o.width as number ?? 0, height: o.height as number ?? 0 };
      }
    },
    showBand: box => { state.band = box; },
    showGuides: (vertical, horizontal) => { state.guides = { vertical, horizontal }; },
    editText: id => { state.edited.push(id); },
    connectors: {
      startProps: () => ({}), drawing: () => {}, finishDrawing: () => [], detach: () => [], withFollowers: ids => new Set(ids), beforeDelete: () => [],
    },
    undo: () => { history.undo(); },
    redo: () => { history.redo(); },
    toggleHelp: () => {},
    zoomToFit: () => {},
    zoomTo: () => {},
    selectionBounds: () => null,
    openAi: () => {},
    arrange: () => {},
    toggleLayers: () => {},
    toggleHistory: () => {},
  };
  const tools = createTools(services);
  /** Press at `from`, move through `path`, release at the last point, with tool `name`. */
  const drag = (name: ToolName, from: Point, path: Point[], options: Partial<PointerInput> = {}) => {
    const input = (at: Point): PointerInput => ({ at, target: null, onHandle: false, shift: false, ...options });
    const tool = tools[name];
    tool.onPointerDown(input(from));
    for (const at of path) tool.onPointerMove(input(at));
    tool.onPointerUp(input(path.at(-1) ?? from));
  };
  return { state, services, tools, drag };
}

const props = (model: CanvasModel, id: string) => ({ ...model.get(id) });

describe('drawing tools', () => {
  it('make a rectangle that grows with the drag, in any direction, as one undo step, then select it with the select tool', () => {
    const { state, drag } = fakeEditor();
    drag('rect', { x: 100, y: 100 }, [{ x: 150, y: 130 }, { x: 40, y: 60 }]);
    expect(props(state.model, 'n1')).toMatchObject({ type: 'rect', x: 40, y: 60, width: 60, height: 40, fill: '#4dabf7' });
    expect(state.selection).toEqual(['n1']);
    expect(state.tool).toBe('select');
    state.history.undo();
    expect(state.model.size).toBe(0);
  });

  it('make a line from the press to the release, and a pencil path through every point', () => {
    const { state, drag } = fakeEditor();
    drag('arrow', { x: 10, y: 10 }, [{ x: 20, y: 20 }, { x: 110, y: 60 }]);
    expect(props(state.model, 'n1')).toMatchObject({ type: 'arrow', x: 10, y: 10, points: [0, 0, 100, 50], stroke: 'auto' });
    drag('path', { x: 0, y: 0 }, [{ x: 1, y: 2 }, { x: 3, y: 5 }]);
    expect(props(state.model, 'n2').points).toEqual([0, 0, 1, 2, 3, 5]);
  });

  it('put a shape drawn on a frame inside it, on top of everything; a frame drawn on a frame is not nested', () => {
    const { state, drag } = fakeEditor({ f: { type: 'frame', x: 0, y: 0, width: 500, height: 500, z: 'a0' } });
    drag('ellipse', { x: 100, y: 100 }, [{ x: 200, y: 200 }]);
    expect(props(state.model, 'n1')).toMatchObject({ parentId: 'f' });
    expect(String(props(state.model, 'n1').z) > 'a0').toBe(true);
    drag('frame', { x: 10, y: 10 }, [{ x: 50, y: 50 }]);
    expect(props(state.model, 'n2').parentId).toBeUndefined();
  });

  it('end the undo step when cancelled mid-drag, keeping what was drawn', () => {
    const { state, tools } = fakeEditor();
    const input = (x: number, y: number): PointerInput => ({ at: { x, y }, target: null, onHandle: false, shift: false });
    tools.rect.onPointerDown(input(0, 0));
    tools.rect.onPointerMove(input(30, 30));
    tools.rect.cancel();
    tools.rect.onPointerUp(input(30, 30)); // a release after the cancel does nothing more
    expect(props(state.model, 'n1')).toMatchObject({ width: 30, height: 30 });
    expect(state.selection).toEqual([]);
    state.history.undo();
    expect(state.model.size).toBe(0);
  });
});

describe('the select tool', () => {
  const objects = {
    a: { type: 'rect', x: 0, y: 0, width: 10, height: 10 },
    b: { type: 'rect', x: 20, y: 0, width: 10, height: 10 },
    c: { type: 'rect', x: 200, y: 200, width: 10, height: 10 },
  };

  it('selects what is pressed; Shift adds and removes; a handle selects nothing', () => {
    const { state, tools } = fakeEditor(objects);
    const press = (target: string, shift = false, onHandle = false) =>
      tools.select.onPointerDown({ at: { x: 0, y: 0 }, target, shift, onHandle });
    press('a');
    expect(state.selection).toEqual(['a']);
    press('b', true);
    expect(state.selection).toEqual(['a', 'b']);
    press('a', true);
    expect(state.selection).toEqual(['b']);
    press('c', false, true);
    expect(state.selection).toEqual(['b']);
  });

  it('takes a press on a locked object as one on the background, and leaves locked objects out of a marquee', () => {
    const { state, tools, drag } = fakeEditor({ ...objects, c: { ...objects.c, locked: true } });
    tools.select.onPointerDown({ at: { x: 205, y: 205 }, target: 'c', shift: false, onHandle: false });
    expect(state.band).toEqual({ x: 205, y: 205, width: 0, height: 0 });
    expect(state.selection).toEqual([]);
    tools.select.onPointerUp({ at: { x: 205, y: 205 }, target: 'c', shift: false, onHandle: false });
    drag('select', { x: -5, y: -5 }, [{ x: 300, y: 300 }]);
    expect(state.selection).toEqual(['a', 'b']);
  });

  it('selects with a marquee what lies wholly inside it, showing the band while dragging; Shift keeps the selection', () => {
    const { state, tools, drag } = fakeEditor(objects);
    tools.select.onPointerDown({ at: { x: -5, y: -5 }, target: null, shift: false, onHandle: false });
    tools.select.onPointerMove({ at: { x: 25, y: 15 }, target: null, shift: false, onHandle: false });
    expect(state.band).toEqual({ x: -5, y: -5, width: 30, height: 20 });
    expect(state.selection).toEqual(['a']); // b is only half inside
    tools.select.onPointerUp({ at: { x: 25, y: 15 }, target: null, shift: false, onHandle: false });
    expect(state.band).toBeNull();
    drag('select', { x: 300, y: 300 }, [{ x: 190, y: 190 }], { shift: true });
    expect(state.selection).toEqual(['a', 'c']);
    drag('select', { x: 300, y: 300 }, [{ x: 290, y: 290 }]);
    expect(state.selection).toEqual([]);
  });
});

describe('the text tool', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('makes a text as wide as its words on a click, one that wraps on a drag, and opens it for editing', () => {
    vi.useFakeTimers();
    const { state, drag } = fakeEditor();
    drag('text', { x: 50, y: 50 }, [{ x: 53, y: 60 }]); // narrower than 8 px: a click
    expect(props(state.model, 'n1')).toMatchObject({ type: 'text', x: 50, y: 50, text: 'Text', fontSize: 24, fill: 'auto' });
    expect(props(state.model, 'n1').width).toBeUndefined();
    expect(state.edited).toEqual([]); // after the browser has handled the press
    vi.runAllTimers();
    expect(state.edited).toEqual(['n1']);
    state.scale = 2;
    drag('text', { x: 300, y: 100 }, [{ x: 100, y: 140 }]);
    expect(props(state.model, 'n2')).toMatchObject({ x: 100, y: 100, width: 200 });
    expect(state.selection).toEqual(['n2']);
    expect(state.tool).toBe('select');
    expect(state.band).toBeNull();
  });

  it('keeps the words typed, deletes a text left empty, and leaves a text a peer deleted alone', () => {
    const { state, services } = fakeEditor({ t: { type: 'text', text: 'Hi' } });
    services.select(['t']);
    expect(enterEditsText(services, { key: 'Enter', ctrlKey: false, metaKey: false })).toBe(true);
    expect(enterEditsText(services, { key: 'Enter', ctrlKey: true, metaKey: false })).toBe(false);
    expect(state.edited).toEqual(['t']);
    expect(commitText(services, 't', 'Hello')).toBe(true);
    expect(props(state.model, 't').text).toBe('Hello');
    expect(commitText(services, 't', '  ')).toBe(true);
    expect(state.model.has('t')).toBe(false);
    expect(state.selection).toEqual([]);
    expect(commitText(services, 't', 'late')).toBe(false);
    expect(state.model.has('t')).toBe(false);
  });
});

describe('moving the selection', () => {
  const node = (x: number, y: number): Movable & { at: Point } => {
    const n = { at: { x, y }, position: (to?: Point) => { if (to) n.at = to; return n.at; } };
    return n as Movable & { at: Point };
  };

  it('snaps to other objects with guides, carries a frame\'s contents, and is one undo step', () => {
    const { state, services } = fakeEditor({
      f: { type: 'frame', x: 0, y: 0, width: 100, height: 100 },
      c: { type: 'rect', x: 10, y: 10, width: 20, height: 20, parentId: 'f' },
      o: { type: 'rect', x: 300, y: 0, width: 50, height: 50 },
    });
    const move = new MoveGesture(services);
    move.start();
    const frame = node(197, 40);
    move.move('f', { x: 197, y: 40, width: 100, height: 100 }, frame);
    expect(frame.at).toEqual({ x: 200, y: 40 }); // its right edge on o's left edge
    expect(state.guides.vertical).toEqual([300]);
    expect(props(state.model, 'f')).toMatchObject({ x: 200, y: 40 });
    expect(props(state.model, 'c')).toMatchObject({ x: 210, y: 50 });
    move.end('f', { x: 200, y: 40, width: 100, height: 100 });
    expect(state.guides).toEqual({ vertical: [], horizontal: [] });
    state.history.undo();
    expect(props(state.model, 'f')).toMatchObject({ x: 0, y: 0 });
    expect(props(state.model, 'c')).toMatchObject({ x: 10, y: 10 });
  });

  it('drops a shape into the frame under its centre, and out of it outside', () => {
    const { state, services } = fakeEditor({
      f: { type: 'frame', x: 0, y: 0, width: 100, height: 100 },
      r: { type: 'rect', x: 500, y: 500, width: 20, height: 20 },
    });
    const move = new MoveGesture(services);
    move.start();
    move.move('r', { x: 40, y: 40, width: 20, height: 20 }, node(40, 40));
    move.end('r', { x: 40, y: 40, width: 20, height: 20 });
    expect(props(state.model, 'r')).toMatchObject({ x: 40, y: 40, parentId: 'f' });
    move.start();
    move.move('r', { x: 400, y: 40, width: 20, height: 20 }, node(400, 40));
    move.end('r', { x: 400, y: 40, width: 20, height: 20 });
    expect(props(state.model, 'r').parentId).toBeUndefined();
  });
});

describe('commands', () => {
  it('nudge (Shift: by 10), bring forward past the next object, duplicate and delete the selection', () => {
    const { state, services } = fakeEditor({
      a: { type: 'rect', x: 0, y: 0, z: 'a1' },
      b: { type: 'rect', x: 0, y: 0, z: 'a2' },
      c: { type: 'rect', x: 0, y: 0, z: 'a3' },
    });
    const commands = createCommands(services);
    services.select(['a']);
    commands['nudge-right']({ shiftKey: true });
    commands['nudge-up']({ shiftKey: false });
    expect(props(state.model, 'a')).toMatchObject({ x: 10, y: -1 });
    commands['bring-forward']({ shiftKey: false });
    const z = (id: string) => String(props(state.model, id).z);
    expect(z('a') > z('b') && z('a') < z('c')).toBe(true);
    commands.duplicate({ shiftKey: false });
    expect(state.selection).toEqual(['n1']);
    expect(props(state.model, 'n1')).toMatchObject({ x: 30, y: 19 });
    commands.delete({ shiftKey: false });
    expect(state.model.has('n1')).toBe(false);
    expect(state.selection).toEqual([]);
  });
});
