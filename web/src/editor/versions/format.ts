// How the history panel words a version: its title, who made it and when. Pure, so Vitest checks it.
import type { VersionInfo } from './versionApi';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A named version's name; an automatic one has none and is called by what made it. */
export function versionTitle(version: VersionInfo): string {
  return version.kind === 'named' && version.name ? version.name : 'Autosaved';
}

/** Who made the version: the person who saved it (by the name they have now), or the server after a burst of edits. */
export function versionAuthor(version: VersionInfo): string {
  if (version.kind === 'auto') return 'Automatic';
  return version.authorName ?? 'A former member';
}

const time = (d: Date) => `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
const sameDay = (a: Date, b: Date) => a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/**
 * When, in the reader's time zone: "just now", "12 min ago" within the hour, the time today, "Yesterday 09:12", the
 * day and time this year, the full date before. The exact time is in the row's tooltip (`exactTime`).
 */
export function versionWhen(createdAt: string, now: Date): string {
  const at = new Date(createdAt);
  const minutes = Math.floor((now.getTime() - at.getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  if (sameDay(at, now)) return `Today ${time(at)}`;
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (sameDay(at, yesterday)) return `Yesterday ${time(at)}`;
  const day = `${at.getDate()} ${MONTHS[at.getMonth()]}`;
  return at.getFullYear() === now.getFullYear() ? `${day} ${time(at)}` : `${day} ${at.getFullYear()} ${time(at)}`;
}

export const exactTime = (createdAt: string) => new Date(createdAt).toLocaleString();
