// The share dialog (owners): members and their roles, invitations by email (pending until the person signs in with
// that address; revocable), and share links that the owner creates and revokes. A link's token is shown once, at
// creation, as part of the address to copy. Invitations and links each have a feature flag: what is off is left out.
import { api, type Invitation, type Member, type ShareLink } from '../api';
import type { Role } from '../sync/protocol';
import type { Features } from '../features';

const ROLES: Role[] = ['owner', 'editor', 'viewer'];

export function openShareDialog(canvasId: string, me: string, on: Features): void {
  const dialog = document.createElement('dialog');
  dialog.className = 'share';
  dialog.setAttribute('aria-label', 'Share');
  dialog.innerHTML = `
    <form method="dialog" class="close-row"><h2>Share</h2><button aria-label="Close">✕</button></form>
    <div class="invitations-part"${on('Invitations') ? '' : ' hidden'}>
    <form class="invite" aria-label="Invite someone">
      <input name="email" type="email" placeholder="Email address" required maxlength="254" aria-label="Email" />
      <select name="role" aria-label="Role"><option value="editor">can edit</option><option value="viewer">can view</option></select>
      <button type="submit" class="primary">Invite</button>
    </form>
    <p class="hint">Invited people join when they sign in with that address.</p>
    </div>
    <ul class="members" aria-label="Members"></ul>
    <ul class="invitations" aria-label="Invitations"></ul>
    <div class="links-part"${on('ShareLinks') ? '' : ' hidden'}>
    <h3>Links</h3>
    <p class="hint">Anyone with a link can open the canvas, also without an account (as a guest).</p>
    <div class="link-buttons">
      <button type="button" data-link="viewer">New view link</button>
      <button type="button" data-link="editor">New edit link</button>
    </div>
    <p class="new-link" hidden><input readonly aria-label="New link" /><button type="button" class="copy">Copy</button></p>
    <ul class="links" aria-label="Links"></ul>
    </div>
    <p class="error" role="alert" hidden></p>`;
  document.body.append(dialog);
  dialog.addEventListener('close', () => dialog.remove());
  const error = dialog.querySelector<HTMLElement>('.error')!;
  const fail = (e: unknown) => { error.textContent = e instanceof Error ? e.message : String(e); error.hidden = false; };
  const membersEl = dialog.querySelector<HTMLUListElement>('.members')!;
  const linksEl = dialog.querySelector<HTMLUListElement>('.links')!;
  const invitationsEl = dialog.querySelector<HTMLUListElement>('.invitations')!;

  const showMembers = (members: Member[]) => membersEl.replaceChildren(...members.map(m => {
    const li = document.createElement('li');
    const who = document.createElement('span');
    who.textContent = m.userId === me ? `${m.displayName} (you)` : m.displayName;
    who.title = m.email ?? '';
    const role = document.createElement('select');
    role.setAttribute('aria-label', `Role of ${m.displayName}`);
    for (const r of ROLES) role.add(new Option(r, r, false, r === m.role));
    role.addEventListener('change', () => api.setRole(canvasId, m.userId, role.value as Role).then(showMembers, e => { fail(e); void refresh(); }));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = 'Remove';
    remove.setAttribute('aria-label', `Remove ${m.displayName}`);
    remove.addEventListener('click', () => api.removeMember(canvasId, m.userId).then(refresh, fail));
    remove.hidden = m.userId === me; // an owner does not remove themselves by a slip of the mouse
    li.append(who, role, remove);
    return li;
  }));

  const showInvitations = (invitations: Invitation[]) => invitationsEl.replaceChildren(...invitations.map(i => {
    const li = document.createElement('li');
    const who = document.createElement('span');
    who.textContent = i.email;
    const state = document.createElement('em');
    state.className = 'pending';
    state.textContent = `Invited · ${i.role === 'viewer' ? 'can view' : i.role === 'owner' ? 'owner' : 'can edit'}`;
    const revoke = document.createElement('button');
    revoke.type = 'button';
    revoke.textContent = 'Revoke';
    revoke.setAttribute('aria-label', `Revoke the invitation of ${i.email}`);
    revoke.addEventListener('click', () => api.revokeInvitation(canvasId, i.id).then(refresh, fail));
    li.append(who, state, revoke);
    return li;
  }));

  const showLinks = (links: ShareLink[]) => linksEl.replaceChildren(...links.map(l => {
    const li = document.createElement('li');
    const what = document.createElement('span');
    what.textContent = `${l.role === 'editor' ? 'Edit' : 'View'} link, made ${new Date(l.createdAt).toLocaleString()}`;
    const revoke = document.createElement('button');
    revoke.type = 'button';
    revoke.textContent = 'Revoke';
    revoke.addEventListener('click', () => api.revokeLink(canvasId, l.id).then(refresh, fail));
    li.append(what, revoke);
    return li;
  }));

  // Refreshes overlap (the one on opening, one after an invite or a new link): only the newest may draw, or the
  // opening's answer, arriving last, would wipe the invitation just made.
  let newestRefresh = 0;
  async function refresh(): Promise<void> {
    const mine = ++newestRefresh;
    try {
      const [members, invitations, links] = await Promise.all([api.members(canvasId),
        on('Invitations') ? api.invitations(canvasId) : [], on('ShareLinks') ? api.links(canvasId) : []]);
      if (mine !== newestRefresh) return;
      showMembers(members);
      showInvitations(invitations);
      showLinks(links);
    } catch (e) {
      if (mine === newestRefresh) fail(e);
    }
  }

  const invite = dialog.querySelector<HTMLFormElement>('form.invite')!;
  invite.addEventListener('submit', async event => {
    event.preventDefault();
    const form = new FormData(invite);
    try {
      await api.invite(canvasId, form.get('email')!.toString().trim(), form.get('role') as Role);
      invite.reset();
      error.hidden = true;
      await refresh();
    } catch (e) {
      fail(e);
    }
  });

  const newLink = dialog.querySelector<HTMLElement>('.new-link')!;
  const newLinkInput = newLink.querySelector('input')!;
  for (const button of dialog.querySelectorAll<HTMLButtonElement>('[data-link]')) {
    button.addEventListener('click', async () => {
      try {
        const link = await api.createLink(canvasId, button.dataset.link as 'editor' | 'viewer');
        newLinkInput.value = `${location.origin}/c/${canvasId}#link=${link.token}`;
        newLink.hidden = false;
        newLinkInput.select();
        await refresh();
      } catch (e) {
        fail(e);
      }
    });
  }
  newLink.querySelector('.copy')!.addEventListener('click', () => void navigator.clipboard.writeText(newLinkInput.value));
  dialog.showModal();
  void refresh();
}
