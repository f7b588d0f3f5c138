import { describe, expect, it } from 'vitest';
import { versionAuthor, versionTitle, versionWhen } from '../src/editor/versions/format';
import type { VersionInfo } from '../src/editor/versions/versionApi';

const version = (over: Partial<VersionInfo>): VersionInfo => ({
  id: 'v1', seq: 10, kind: 'named', name: 'Before the review', author: 'u1', authorName: 'Alice', createdAt: '2026-12-03T10:00:00', thumbnail: null, ...over,
});

describe('version wording', () => {
  it('names a named version by its name and author, an automatic one by what made it', () => {
    expect(versionTitle(version({}))).toBe('Before the review');
    expect(versionAuthor(version({}))).toBe('Alice');
    expect(versionAuthor(version({ authorName: null }))).toBe('A former member');
    const auto = version({ kind: 'auto', name: null, author: null, authorName: null });
    expect(versionTitle(auto)).toBe('Autosaved');
    expect(versionAuthor(auto)).toBe('Automatic');
  });

  it('says when, closer in words the nearer it is (local time)', () => {
    const now = new Date(2026, 11, 3, 14, 30);
    const at = (d: Date) => versionWhen(d.toISOString(), now);
    expect(at(new Date(2026, 11, 3, 14, 29, 40))).toBe('just now');
    expect(at(new Date(2026, 11, 3, 14, 18))).toBe('12 min ago');
    expect(at(new Date(2026, 11, 3, 9, 5))).toBe('Today 09:05');
    expect(at(new Date(2026, 11, 2, 23, 59))).toBe('Yesterday 23:59');
    expect(at(new Date(2026, 10, 28, 8, 0))).toBe('28 Nov 08:00');
    expect(at(new Date(2025, 0, 1, 8, 0))).toBe('1 Jan 2025 08:00');
    // the first of a month: yesterday is the last of the month before
    expect(versionWhen(new Date(2026, 10, 30, 18, 0).toISOString(), new Date(2026, 11, 1, 9, 0))).toBe('Yesterday 18:00');
  });
});
