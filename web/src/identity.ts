// Who the user is, in one place: the signed-in account (GET /api/me), or a guest who came through a share link.
import { api, type Me } from './api';

let me: Promise<Me | null> | null = null;

/** Set once an account was signed in from this browser: not a secret, never sent to the server (docs/auth.md). */
const RETURNING = 'collabcanvas.hasAccount';

/** The signed-in account, or null (asked once per page). Seeing one marks this browser as a returning one. */
export function currentUser(): Promise<Me | null> {
  me ??= api.me().then(user => { localStorage.setItem(RETURNING, '1'); return user; }, () => null);
  return me;
}

/** Whether an account was ever signed in from this browser: the sign-in page then opens on sign-in, else on sign-up. */
export function returningVisitor(): boolean {
  return localStorage.getItem(RETURNING) !== null;
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

const GUEST_NAME = 'collabcanvas.name';

/** A link guest's name as they gave it (auth/guest.ts asks for it), or null before they did. */
export function guestName(): string | null {
  return localStorage.getItem(GUEST_NAME);
}

export function keepGuestName(name: string): void {
  localStorage.setItem(GUEST_NAME, name.trim().slice(0, 40));
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
