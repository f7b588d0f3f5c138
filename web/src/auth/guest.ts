// A share-link guest's name, asked in the page (not in a browser prompt) before the editor opens, and kept in this
// browser (identity.ts reads it); an account holder may sign in instead.
import { guestName, keepGuestName } from '../identity';

/** Resolves once this browser has a guest name: at once when it was given before, else when the form is sent. */
export function askGuestName(root: HTMLElement): Promise<void> {
  if (guestName() !== null) return Promise.resolve();
  document.title = 'Join · CollabCanvas';
  root.innerHTML = `
    <main class="signin guest">
      <h1>◧ CollabCanvas</h1>
      <form class="guest-name" aria-label="Join the canvas">
        <h2>You were invited to a canvas</h2>
        <label>Your name, as others will see it <input name="name" autocomplete="name" maxlength="40" required /></label>
        <button type="submit" class="primary">Join</button>
        <p class="switch-line">Have an account? <a class="switch" href="/signin?returnUrl=${encodeURIComponent(location.pathname)}">Sign in</a></p>
      </form>
    </main>`;
  const form = root.querySelector<HTMLFormElement>('form.guest-name')!;
  form.querySelector('input')!.focus();
  return new Promise(resolve => form.addEventListener('submit', event => {
    event.preventDefault();
    const name = new FormData(form).get('name')!.toString().trim();
    if (!name) return;
    keepGuestName(name);
    resolve();
  }));
}
