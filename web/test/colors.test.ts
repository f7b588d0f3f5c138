import { describe, expect, it } from 'vitest';
import { colorOf, type Palette } from '../src/editor/colors';

describe('colorOf', () => {
  const dark: Palette = { canvas: '#121418', ink: '#e6e8eb', frameFill: '#1f2228', frameStroke: '#5c636e', named: { 'palette:red': '#ff6b6b' } };

  it('draws "auto" and a missing default in the theme\'s colour for that part of that type', () => {
    expect(colorOf({ type: 'text', fill: 'auto' }, 'fill', dark)).toBe('#e6e8eb');
    expect(colorOf({ type: 'text' }, 'fill', dark)).toBe('#e6e8eb');
    expect(colorOf({ type: 'path' }, 'stroke', dark)).toBe('#e6e8eb');
    expect(colorOf({ type: 'frame', fill: 'auto' }, 'fill', dark)).toBe('#1f2228');
    expect(colorOf({ type: 'frame' }, 'stroke', dark)).toBe('#5c636e');
  });

  it('keeps a colour someone picked, and draws nothing where a type has no default', () => {
    expect(colorOf({ type: 'line', stroke: '#e03131' }, 'stroke', dark)).toBe('#e03131');
    expect(colorOf({ type: 'rect' }, 'fill', dark)).toBe('transparent');
    expect(colorOf({ type: 'rect', stroke: 'auto' }, 'stroke', dark)).toBe('#e6e8eb');
  });

  it('draws a palette colour in the theme\'s shade of it', () => {
    expect(colorOf({ type: 'rect', fill: 'palette:red' }, 'fill', dark)).toBe('#ff6b6b');
  });
});
