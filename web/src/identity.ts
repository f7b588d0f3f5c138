// Who the user is, in one place. Until sign-in exists, a guest name kept in this browser; sign-in replaces this
// module and nothing else.
const KEY = 'collabcanvas.name';

export function guestName(): string {
  let name = localStorage.getItem(KEY);
  if (!name) {
    name = (prompt('Your name, as others will see it:', '') ?? '').trim().slice(0, 40) || 'Guest';
    localStorage.setItem(KEY, name);
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
