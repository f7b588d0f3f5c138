// The sign-in page: a button per identity provider, and the local form (create an account, or sign in) when the
// server offers local accounts. A browser that has never had an account here sees the form to create one first, one
// click away from signing in. When a provider identity waits to be linked to a local account, the page asks for that
// account's password instead.
import { api, ApiError, type AuthConfig } from '../api';
import { currentUser, returningVisitor } from '../identity';

const esc = (s: string) => s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);

/**
 * Where signing in goes next, by the server's rule (src/CollabCanvas.Server/Auth/ReturnTarget.cs): a target with no
 * control character that, resolved against this site's origin, keeps that origin; anything else is the root. The
 * answer is absolute, so that no path can be read as another site (`/.//evil.example` resolves to the path
 * `//evil.example`). Control characters are refused, not left to the URL parser, which drops tabs and newlines.
 */
function returnTarget(target: string | null, origin: string): string {
  const root = origin + '/';
  if (target === null || /[\u0000-\u001f\u007f-\u009f]/.test(target)) return root;
  let url: URL;
  try {
    url = new URL(target, root);
  } catch {
    return root;
  }
  return url.origin === origin ? origin + url.pathname + url.search + url.hash : root;
}

export async function showSignIn(root: HTMLElement): Promise<void> {
  document.title = 'Sign in · CollabCanvas';
  let config: AuthConfig;
  try {
    config = await api.authConfig();
  } catch {
    root.innerHTML = '<main class="signin"><p class="error" role="alert">The server cannot be reached. Try again in a moment.</p></main>';
    return;
  }
  const back = returnTarget(new URLSearchParams(location.search).get('returnUrl'), location.origin);
  // Already signed in (a bookmark, the back button): go on where they were going.
  if (!config.pendingLink && (await currentUser())) { location.replace(back); return; }
  const providerError = new URLSearchParams(location.search).get('error') === 'provider';
  root.innerHTML = `
    <main class="signin">
      <h1>◧ CollabCanvas</h1>
      ${config.pendingLink ? `
        <form class="link" aria-label="Link your account">
          <h2>Link ${esc(config.pendingLink.provider)} to your account</h2>
          <p>An account for <strong>${esc(config.pendingLink.email ?? '')}</strong> exists here. Enter its password to sign in
             with ${esc(config.pendingLink.provider)} from now on.</p>
          <label>Password <input name="password" type="password" autocomplete="current-password" required maxlength="128" /></label>
          <button type="submit" class="primary">Link and sign in</button>
        </form>` : ''}
      ${config.providers.length ? `
        <div class="providers" aria-label="Sign in with">
          ${config.providers.map(p => `<a class="provider" href="/auth/login/${encodeURIComponent(p.name)}?returnUrl=${encodeURIComponent(back)}">Continue with ${esc(p.displayName)}</a>`).join('')}
        </div>` : ''}
      ${config.providers.length && config.localAccounts ? '<p class="or">or</p>' : ''}
      ${config.localAccounts ? `
        <form class="local">
          <h2 class="local-title"></h2>
          <label class="name-field">Name <input name="name" autocomplete="name" maxlength="80" /></label>
          <label>Email <input name="email" type="email" autocomplete="email" required maxlength="254" /></label>
          <label>Password <input name="password" type="password" required minlength="8" maxlength="128" /></label>
          <button type="submit" class="primary"></button>
          <p class="switch-line"><span class="switch-question"></span> <button type="button" class="switch"></button></p>
        </form>` : ''}
      <p class="error" role="alert" ${providerError ? '' : 'hidden'}>${providerError ? 'The sign-in with the provider did not complete. Try again.' : ''}</p>
    </main>`;
  const error = root.querySelector<HTMLElement>('.error')!;
  const fail = (message: string) => { error.textContent = message; error.hidden = false; };

  root.querySelector<HTMLFormElement>('form.link')?.addEventListener('submit', async event => {
    event.preventDefault();
    const password = new FormData(event.target as HTMLFormElement).get('password')!.toString();
    try {
      await api.completeLink(password);
      location.href = back;
    } catch (e) {
      fail(e instanceof Error ? e.message : String(e));
    }
  });

  const local = root.querySelector<HTMLFormElement>('form.local');
  if (!local) return;
  let creating = false;
  const nameField = local.querySelector<HTMLElement>('.name-field')!;
  const submit = local.querySelector<HTMLButtonElement>('button[type=submit]')!;
  const switcher = local.querySelector<HTMLButtonElement>('.switch')!;
  const password = local.querySelector<HTMLInputElement>('input[name=password]')!;
  const show = (create: boolean) => {
    creating = create;
    document.title = `${create ? 'Create an account' : 'Sign in'} · CollabCanvas`;
    local.setAttribute('aria-label', create ? 'Create an account' : 'Sign in with email');
    local.querySelector('.local-title')!.textContent = create ? 'Create your account' : 'Sign in';
    nameField.hidden = !create;
    submit.textContent = create ? 'Create account' : 'Sign in';
    local.querySelector('.switch-question')!.textContent = create ? 'Already have an account?' : 'New here?';
    switcher.textContent = create ? 'Sign in instead' : 'Create an account instead';
    password.autocomplete = create ? 'new-password' : 'current-password';
    error.hidden = true;
  };
  show(!returningVisitor());
  switcher.addEventListener('click', () => show(!creating));
  local.addEventListener('submit', async event => {
    event.preventDefault();
    const form = new FormData(local);
    const email = form.get('email')!.toString().trim();
    const secret = form.get('password')!.toString();
    submit.disabled = true;
    try {
      if (creating) await api.register(email, secret, form.get('name')!.toString().trim());
      await api.login(email, secret);
      location.href = back;
    } catch (e) {
      fail(e instanceof ApiError && e.status === 401 && creating
        ? 'This email is taken, or the password is not right for it.'
        : e instanceof Error ? e.message : String(e));
    } finally {
      submit.disabled = false;
    }
  });
}
