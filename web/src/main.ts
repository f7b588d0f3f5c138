// Routes: `/` is the dashboard, `/c/{canvasId}` the editor.
import './styles.css';
import { showDashboard } from './dashboard/dashboard';
import { showEditor } from './editor/editor';
import { applyStoredTheme } from './theme';

applyStoredTheme();

const app = document.getElementById('app')!;
const match = /^\/c\/([A-Za-z0-9_-]{1,64})\/?$/.exec(location.pathname);
if (match) showEditor(app, match[1]);
else showDashboard(app);
