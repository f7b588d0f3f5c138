// The dashboard: list, create (empty or from a starter template), rename, delete and open canvases.
import { api, type CanvasInfo, type Me, type TemplateInfo } from '../api';
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
      <section class="templates" aria-labelledby="templates-title">
        <h2 id="templates-title">Or start from a template</h2>
        <ul></ul>
      </section>
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

  async function create(name: string, template?: string): Promise<void> {
    try {
      const canvas = await api.create(name, template);
      location.href = `/c/${canvas.id}`;
    } catch (e) {
      fail(e);
    }
  }

  /** A card per template: the canvas takes the name typed above, or the template's. */
  function templateCard(template: TemplateInfo): HTMLLIElement {
    const li = document.createElement('li');
    const card = button('', `New canvas from the ${template.name} template`, () => {
      const typed = new FormData(form).get('name')!.toString().trim();
      void create(typed || template.name, template.id);
    });
    card.className = 'template';
    const name = document.createElement('strong');
    name.textContent = template.name;
    const about = document.createElement('span');
    about.textContent = template.description;
    card.append(name, about);
    li.append(card);
    return li;
  }

  form.addEventListener('submit', event => {
    event.preventDefault();
    void create(new FormData(form).get('name')!.toString().trim());
  });
  api.templates().then(templates => root.querySelector('.templates ul')!.replaceChildren(...templates.map(templateCard)), fail);
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
