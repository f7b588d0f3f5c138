// Where there is nothing to edit (an address that is no page, a canvas one may not open or that does not exist) the
// page says what happened and offers a way on. One builder for all of them, so they look and read alike.

export type Action = { label: string; href: string } | { label: string; run: (button: HTMLButtonElement) => void };

/** A message with a heading and the ways on; the first action is the main one. */
export function deadEnd(heading: string, text: string, actions: Action[], level: 1 | 2 = 2): HTMLElement {
  const section = document.createElement('section');
  section.className = 'dead-end';
  const title = document.createElement(`h${level}`);
  title.textContent = heading;
  const paragraph = document.createElement('p');
  paragraph.textContent = text;
  const row = document.createElement('div');
  row.className = 'actions';
  row.append(...actions.map((action, index) => {
    const element = 'href' in action ? Object.assign(document.createElement('a'), { href: action.href }) : document.createElement('button');
    element.textContent = action.label;
    element.className = index === 0 ? 'primary' : '';
    if ('run' in action) {
      const button = element as HTMLButtonElement;
      button.type = 'button';
      button.addEventListener('click', () => action.run(button));
    }
    return element;
  }));
  section.append(title, paragraph, row);
  return section;
}

/** The page for an address the site does not have (served with status 404). */
export function showNotFound(root: HTMLElement): void {
  document.title = 'Page not found · CollabCanvas';
  const brand = Object.assign(document.createElement('a'), { href: '/', className: 'brand', textContent: '◧ CollabCanvas' });
  const page = document.createElement('main');
  page.className = 'not-found';
  page.append(brand, deadEnd('Page not found', `There is nothing at ${location.pathname}. The address may be mistyped, or the page moved.`,
    [{ label: 'Go to your canvases', href: '/' }], 1));
  root.replaceChildren(page);
}
