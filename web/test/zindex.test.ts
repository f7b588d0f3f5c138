import { describe, expect, it } from 'vitest';
import { compareStacking, keyBetween } from '../src/editor/zindex';

describe('keyBetween', () => {
  it('always finds a key strictly between, however often it is asked', () => {
    let seed = 9;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const keys: string[] = [keyBetween(undefined, undefined)];
    for (let i = 0; i < 2000; i++) {
      const at = Math.floor(random() * (keys.length + 1));
      const key = keyBetween(keys[at - 1], keys[at]);
      if (keys[at - 1] !== undefined) expect(key > keys[at - 1]).toBe(true);
      if (keys[at] !== undefined) expect(key < keys[at]).toBe(true);
      expect(key).toMatch(/^[0-9A-Za-z]{1,64}$/);
      keys.splice(at, 0, key);
    }
    expect([...keys].sort()).toEqual(keys);
  });

  it('appends and prepends with short keys', () => {
    let key = keyBetween(undefined, undefined);
    for (let i = 0; i < 1000; i++) key = keyBetween(key, undefined);
    expect(key.length).toBe(4);
    key = keyBetween(undefined, undefined);
    for (let i = 0; i < 50; i++) key = keyBetween(undefined, key);
    expect(key.length).toBeLessThan(12);
  });
});

describe('compareStacking', () => {
  it('puts frames first, then orders by z as code points (upper case before lower case), then by id', () => {
    const objects = [
      { id: 'b', type: 'rect', z: 'V00a' },
      { id: 'a', type: 'rect', z: 'V00a' },
      { id: 'c', type: 'text', z: 'V00B' },
      { id: 'd', type: 'frame', z: 'V00z' },
      { id: 'e', type: 'rect' },
    ];
    expect([...objects].sort(compareStacking).map(o => o.id)).toEqual(['d', 'e', 'c', 'a', 'b']);
  });
});
