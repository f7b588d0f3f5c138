// Routes: `/` is the dashboard, `/c/{canvasId}` the editor, `/signin` the sign-in page; any other address is "Page not
// found" (the server sends this page for it with status 404). The dashboard needs an account; the editor needs an
// account or a share link.
import './styles.css';
import { showDashboard } from './dashboard/dashboard';
import { showEditor } from './editor/editor';
import { showSignIn } from './auth/signin';
import { askGuestName } from './auth/guest';
import { currentUser, goSignIn, shareLink } from './identity';
import { useShareLink } from './api';
import { applyStoredTheme } from './theme';
import { showNotFound } from './deadEnd';
import { loadFeatures } from './features';

applyStoredTheme();

async function route(app: HTMLElement): Promise<void> {
  if (location.pathname === '/signin') return showSignIn(app);
  const canvas = /^\/c\/([A-Za-z0-9_-]{1,64})\/?$/.exec(location.pathname)?.[1];
  if (!canvas && location.pathname !== '/') return showNotFound(app);
  const link = canvas ? shareLink(canvas) : undefined;
  if (canvas) useShareLink(canvas, link);
  // Both questions at once: the editor waits for the answers before it opens its socket.
  const features = canvas ? loadFeatures() : null;
  features?.catch(() => undefined); // a visitor sent to sign in never reads the answer; the editor's await still throws
  const me = await currentUser();
  if (!me && !link) return goSignIn();
  if (!me) await askGuestName(app);
  if (canvas) showEditor(app, canvas, me, await features!, link);
  else showDashboard(app, me!);
}

void route(document.getElementById('app')!);
