// Who the user is, in one place: the signed-in account (GET /api/me), or a guest who came through a share link.
import { api, type Me } from './api';

let me: Promise<Me | null> | null = null;

/** The signed-in account, or null (asked once per page). */
export function currentUser(): Promise<Me | null> {
  me ??= api.me().catch(() => null);
  return me;
}

/** Sends the browser to the sign-in page, to come back here afterwards. */
export function goSignIn(): void {
  location.href = `/signin?returnUrl=${encodeURIComponent(location.pathname)}`;
}

/**
 * The share link this tab opened the canvas with. Links carry their token in the fragment (`/c/{id}#link=...`),
 * which browsers never send to a server, so it cannot end up in a log; it is kept for the tab and taken off the
 * address bar.
 */
export function shareLink(canvasId: string): string | undefined {
  const key = `collabcanvas.link.${canvasId}`;
  const fromHash = /^#link=([A-Za-z0-9_-]{8,128})$/.exec(location.hash)?.[1];
  if (fromHash) {
    sessionStorage.setItem(key, fromHash);
    history.replaceState(null, '', location.pathname);
  }
  return sessionStorage.getItem(key) ?? undefined;
}

/** A link guest's name, asked once and kept in this browser. */
export function guestName(): string {
  const key = 'collabcanvas.name';
  let name = localStorage.getItem(key);
  if (!name) {
    name = (prompt('Your name, as others will see it:', '') ?? '').trim().slice(0, 40) || 'Guest';
    localStorage.setItem(key, name);
  }
  return name;
}

/** One id per open editor tab and canvas: kept across reconnects and reloads of the tab, never shared by two tabs. */
export function clientId(canvasId: string): string {
  const key = `collabcanvas.client.${canvasId}`;
  let id = sessionStorage.getItem(key);
  if (!id) {
    id = crypto.randomUUID().replaceAll('-', '');
    sessionStorage.setItem(key, id);
  }
  return id;
}
