// Light or dark: follows the system until the user picks one; the choice is kept in this browser.
const KEY = 'collabcanvas.theme';
const systemDark = matchMedia('(prefers-color-scheme: dark)');
const listeners = new Set<() => void>();

export function applyStoredTheme(): void {
  const stored = localStorage.getItem(KEY);
  if (stored === 'light' || stored === 'dark') document.documentElement.dataset.theme = stored;
}

export function toggleTheme(): void {
  const current = document.documentElement.dataset.theme ?? (systemDark.matches ? 'dark' : 'light');
  const next = current === 'dark' ? 'light' : 'dark';
  document.documentElement.dataset.theme = next;
  localStorage.setItem(KEY, next);
  listeners.forEach(listener => listener());
}

/** Calls `listener` whenever the page's theme changes (picked here, or the system's while none is picked). */
export function onThemeChange(listener: () => void): void {
  listeners.add(listener);
}

systemDark.addEventListener('change', () => {
  if (document.documentElement.dataset.theme === undefined) listeners.forEach(listener => listener());
});
