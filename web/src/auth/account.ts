// The account menu at the top right: who is signed in, and signing out (a real form POST, so that a provider
// sign-in can end at the provider too, by redirect).
import { api, type Me } from '../api';

export function accountMenu(me: Me): HTMLElement {
  const menu = document.createElement('details');
  menu.className = 'menu account';
  const summary = document.createElement('summary');
  summary.setAttribute('aria-label', `Account: ${me.name}`);
  summary.title = me.name;
  summary.textContent = me.name.slice(0, 1).toUpperCase();
  const items = document.createElement('div');
  items.className = 'menu-items';
  const who = document.createElement('p');
  who.className = 'who';
  who.textContent = me.email ? `${me.name} · ${me.email}` : me.name;
  const form = document.createElement('form');
  form.method = 'post';
  form.action = '/auth/logout';
  const out = document.createElement('button');
  out.type = 'submit';
  out.textContent = 'Sign out';
  form.append(out);
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.className = 'danger';
  remove.textContent = 'Delete account…';
  remove.addEventListener('click', async () => {
    if (!confirm('Delete your account? Canvases only you own are deleted with it. This cannot be undone.')) return;
    try {
      await api.deleteAccount();
      location.href = '/signin';
    } catch (e) {
      alert(e instanceof Error ? e.message : String(e));
    }
  });
  items.append(who, form, remove);
  menu.append(summary, items);
  return menu;
}
