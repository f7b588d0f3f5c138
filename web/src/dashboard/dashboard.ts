// The dashboard: list, create, rename, delete and open canvases.
import { api, type CanvasInfo, type Me } from '../api';
import { accountMenu } from '../auth/account';

export function showDashboard(root: HTMLElement, me: Me): void {
  document.title = 'CollabCanvas';
  root.innerHTML = `
    <main class="dashboard">
      <header><h1>CollabCanvas</h1></header>
      <form class="create" aria-label="Create a canvas">
        <label for="new-name">New canvas</label>
        <input id="new-name" name="name" maxlength="100" placeholder="Name, e.g. Landing page" required />
        <button type="submit">Create</button>
      </form>
      <p class="error" role="alert" hidden></p>
      <ul class="canvases" aria-label="Canvases"></ul>
      <div class="empty" hidden>
        <h2>No canvases yet</h2>
        <p>Create your first canvas above, then share its address to draw together.</p>
      </div>
    </main>`;
  root.querySelector('.dashboard > header')!.append(accountMenu(me));
  const form = root.querySelector<HTMLFormElement>('form.create')!;
  const list = root.querySelector<HTMLUListElement>('ul.canvases')!;
  const empty = root.querySelector<HTMLElement>('.empty')!;
  const error = root.querySelector<HTMLElement>('.error')!;

  const fail = (e: unknown) => { error.textContent = e instanceof Error ? e.message : String(e); error.hidden = false; };

  async function refresh(): Promise<void> {
    const canvases = await api.list();
    list.replaceChildren(...canvases.map(item));
    empty.hidden = canvases.length > 0;
  }

  function item(canvas: CanvasInfo): HTMLLIElement {
    const li = document.createElement('li');
    const link = document.createElement('a');
    link.href = `/c/${canvas.id}`;
    link.textContent = canvas.name;
    const when = document.createElement('span');
    when.className = 'when';
    when.textContent = new Date(canvas.updatedAt).toLocaleString();
    const rename = button('Rename', `Rename ${canvas.name}`, async () => {
      const name = prompt('New name', canvas.name)?.trim();
      if (name) await api.rename(canvas.id, name).then(refresh, fail);
    });
    const remove = button('Delete', `Delete ${canvas.name}`, async () => {
      if (confirm(`Delete "${canvas.name}" for everyone?`)) await api.remove(canvas.id).then(refresh, fail);
    });
    const role = document.createElement('span');
    role.className = 'role';
    role.textContent = canvas.role === 'owner' ? '' : canvas.role ?? '';
    const leave = button('Leave', `Leave ${canvas.name}`, async () => {
      if (confirm(`Leave "${canvas.name}"? You will need to be added again to come back.`))
        await api.removeMember(canvas.id, me.id).then(refresh, fail);
    });
    // Rename needs an editor, delete the owner; members who do not own a canvas may leave it: offer only what works.
    rename.hidden = canvas.role === 'viewer';
    remove.hidden = canvas.role !== 'owner';
    leave.hidden = canvas.role === 'owner';
    li.append(link, role, when, rename, remove, leave);
    return li;
  }

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const name = new FormData(form).get('name')!.toString().trim();
    try {
      const canvas = await api.create(name);
      location.href = `/c/${canvas.id}`;
    } catch (e) {
      fail(e);
    }
  });
  refresh().catch(fail);
}

function button(text: string, label: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
}
