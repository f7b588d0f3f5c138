// The editor page: toolbar, canvas, presence. The sync client owns the document; this module turns pointer and
// keyboard input into ops and renders the local model.
import Konva from 'konva';
import { api, type Me } from '../api';
import { clientId, guestName } from '../identity';
import { accountMenu } from '../auth/account';
import { openShareDialog } from './share';
import { CommandPalette } from './palette';
import type { CanvasObject, Op, PropValue } from '../sync/protocol';
import { SyncClient } from '../sync/SyncClient';
import { Renderer } from './renderer';
import { CanvasModel } from '../sync/model';
import { SHAPES, TEXT_DEFAULTS } from './shapes';
import { onFontsLoaded } from './fonts';
import { TOOLS, findShortcut, type AlignCommand, type Command, type ToolName } from './tools';
import { installTooltips, toolButtons } from './toolbar';
import { fillHelpPanel } from './help';
import { History } from './history';
import { compareZ, keyBetween } from './zindex';
import { PropertiesPanel } from './properties';
import { copyOf, pasteOps } from './clipboard';
import { blobUrl, download, readCanvasFile, toJson, toPng, toSvg } from './export';
import { snap } from './snapping';
import { LayersPanel, isLocked, movable, toggleLockOps } from './layers';
import { ARRANGE_BUTTONS, ArrangeBar, arrangeOps, drawnBox } from './align';
import { onThemeChange, toggleTheme } from '../theme';
import { AUTO, currentPalette } from './colors';
import { Cursors } from './cursors';
import { CanvasTitle } from './title';
import { clampZoom } from './zoom';
import { EmptyCanvasHint } from './hint';
import { Follow } from './follow';
import { ConnectorEditing } from './connectors';
import { deadEnd } from '../deadEnd';
import type { Features } from '../features';

/** A line drawing of a download, for the Export menu's button when its word does not fit. */
const EXPORT_ICON = '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 4v11M7 10l5 5 5-5M5 19h14"/></svg>';

const newId = () => crypto.randomUUID().replaceAll('-', '').slice(0, 16);
const round = (n: number) => Math.round(n * 100) / 100;

/**
 * @param me the signed-in account, or null for a guest who came through a share link (`link`).
 * @param on the feature flags that apply to this user: what is off is not shown.
 */
export function showEditor(root: HTMLElement, canvasId: string, me: Me | null, on: Features, link?: string): void {
  root.innerHTML = `
    <div class="editor">
      <header class="topbar">
        <a href="/" class="home" aria-label="All canvases" data-tooltip="All canvases">◧<span class="wide-only"> CollabCanvas</span></a>
        <h1 class="title"></h1>
        <nav class="tools" aria-label="Tools"></nav>
        <div class="peers" aria-label="People here"></div>
        <span class="status" role="status" aria-live="polite"></span>
        <details class="menu">
          <summary aria-label="Export and import" data-tooltip="Export and import">${EXPORT_ICON}<span class="wide-only">Export</span></summary>
          <div class="menu-items">
            <button type="button" data-export="png"${on('ExportPng') ? '' : ' hidden'}>PNG</button>
            <button type="button" data-export="svg"${on('ExportSvg') ? '' : ' hidden'}>SVG</button>
            <button type="button" data-export="json"${on('ExportJson') ? '' : ' hidden'}>JSON</button>
            <label class="import">Import JSON<input type="file" accept="application/json,.json" /></label>
          </div>
        </details>
        <button type="button" class="theme-button" aria-label="Switch between light and dark" data-tooltip="Light or dark">◐</button>
        <button type="button" class="ai-button" aria-label="AI command (Ctrl/⌘+K)" title="AI command (Ctrl/⌘+K)"${on('AiCommands') ? '' : ' hidden'}>✦ AI</button>
        <button type="button" class="help-button" aria-label="Keyboard shortcuts (?)">?</button>
        <span class="view-only" hidden>View only</span>
        <button type="button" class="share-button primary" hidden>Share</button>
        ${me ? '' : `<a class="signin-link" href="/signin?returnUrl=${encodeURIComponent(location.pathname)}">Sign in</a>`}
      </header>
      <div class="workspace">
        <div class="stage" tabindex="0" aria-label="Canvas"></div>
        <p class="notice" role="status" hidden></p>
        <div class="side"><aside class="properties" aria-label="Properties" hidden></aside></div>
      </div>
      <aside class="help" hidden aria-label="Keyboard shortcuts">
        <h2>Shortcuts</h2>
        <dl></dl>
      </aside>
    </div>`;
  const stageEl = root.querySelector<HTMLDivElement>('.stage')!;
  const statusEl = root.querySelector<HTMLElement>('.status')!;
  const noticeEl = root.querySelector<HTMLElement>('.notice')!;
  /** Tells of something that just happened (what an AI command made, a file that could not be read), over the canvas. */
  const notify = (text: string) => { noticeEl.textContent = text; noticeEl.hidden = false; };
  const peersEl = root.querySelector<HTMLElement>('.peers')!;
  const helpEl = root.querySelector<HTMLElement>('.help')!;
  root.querySelector('.tools')!.append(...toolButtons());
  fillHelpPanel(helpEl.querySelector('dl')!);
  installTooltips(root.querySelector('.editor')!);
  const title = new CanvasTitle(root.querySelector('.title')!, canvasId, notify);
  if (me) root.querySelector('.topbar')!.append(accountMenu(me));

  const protocol = location.protocol === 'https:' ? 'wss' : 'ws';
  const client = new SyncClient({
    url: `${protocol}://${location.host}/ws/canvases/${canvasId}`,
    clientId: clientId(canvasId),
    link,
    guestName: me ? undefined : guestName() ?? undefined,
    // The socket ends with the sign-in behind its cookie. A ticket minted through the cookie the browser holds now
    // moves it onto that sign-in (a newer one, when the user signed in again elsewhere); none when signed out.
    renew: me ? async () => ({ ticket: (await api.wsTicket()).value }) : undefined,
  });
  const shareButton = root.querySelector<HTMLButtonElement>('.share-button')!;
  shareButton.addEventListener('click', () => openShareDialog(canvasId, me?.id ?? '', on));
  client.on('renamed', name => title.renamed(name));
  client.on('role', role => {
    root.querySelector<HTMLElement>('.editor')!.dataset.role = role;
    for (const b of root.querySelectorAll<HTMLButtonElement>('[data-tool]')) b.disabled = role === 'viewer';
    shareButton.hidden = role !== 'owner';
    title.setEditable(role !== 'viewer');
    root.querySelector<HTMLElement>('.view-only')!.hidden = role !== 'viewer';
    root.querySelector<HTMLElement>('.ai-button')!.hidden = role === 'viewer' || !me || !on('AiCommands');
    if (role === 'viewer') setTool('select');
  });

  const stage = new Konva.Stage({ container: stageEl, width: stageEl.clientWidth, height: stageEl.clientHeight });
  const content = new Konva.Layer();
  // What an AI command would make, shown to the requester alone until accepted: not objects of the canvas (nothing
  // selects, exports or undoes them), dimmed and outlined.
  const previewLayer = new Konva.Layer({ listening: false, opacity: 0.75 });
  const overlay = new Konva.Layer();
  stage.add(content, previewLayer, overlay);
  // The handles resize freely; Shift keeps the ratio, Alt resizes from the centre, Shift snaps a turn to 15° (Konva's
  // own keys). No flipping through zero: a size stays positive.
  const transformer = new Konva.Transformer({ rotateEnabled: true, ignoreStroke: true, keepRatio: false, flipEnabled: false });
  overlay.add(transformer);
  const renderer = new Renderer(content, currentPalette());
  const connectors = new ConnectorEditing({
    stage, overlay, model: () => client.local, submit: ops => submit(ops), pointer: () => pointerOnCanvas(),
    gesture: begin => (begin ? history.begin() : history.end()),
  });
  /** An AI command's result that only this user sees until they accept it (see the palette). */
  let previewModel = new CanvasModel();
  onThemeChange(() => renderer.setPalette(currentPalette(), client.local));
  // Texts drawn before their web font arrived were drawn and measured in a fallback: draw them again, handles too.
  onFontsLoaded(() => {
    renderer.update(client.local, [...client.local.entries()].filter(([, o]) => o.type === 'text').map(([id]) => id));
    showSelection(selection);
  });
  // Only what is in view is drawn: recompute on every pan, zoom and resize (before the next draw).
  const cull = () => {
    const scale = stage.scaleX(), margin = 100 / scale;
    renderer.cull({ x: -stage.x() / scale - margin, y: -stage.y() / scale - margin, width: stage.width() / scale + 2 * margin, height: stage.height() / scale + 2 * margin });
  };
  stage.on('xChange yChange scaleXChange widthChange heightChange', cull);
  cull();
  const cursors = new Cursors(overlay);
  new ResizeObserver(() => stage.size({ width: stageEl.clientWidth, height: stageEl.clientHeight })).observe(stageEl);

  let tool: ToolName = 'select';
  const follow = new Follow(stage, client);
  let selection: string[] = [];

  const layers = new LayersPanel({
    model: () => client.local, select: ids => select(ids), submit: ops => submit(ops), editable: () => client.role !== 'viewer',
    focusCanvas: () => stageEl.focus(),
  });
  root.querySelector('.workspace')!.prepend(layers.element);
  root.querySelector('.topbar .theme-button')!.before(layers.button);
  client.on('change', () => layers.changed());
  // Back to the canvas after a click, where the keys (undo, nudge) work.
  const arrangeBar = new ArrangeBar(command => { arrange(command); stageEl.focus(); });
  root.querySelector('.side')!.prepend(arrangeBar.element);
  const properties = new PropertiesPanel(root.querySelector<HTMLElement>('.properties')!, ops => submit(ops),
    begin => (begin ? history.begin() : history.end()));
  /** Shows the selection (handles, draggable nodes, properties); touches only the nodes entering or leaving it. */
  const showSelection = (previous: readonly string[]) => {
    // Only nodes that left the selection: turning dragging off mid-drag would end the drag.
    for (const id of previous) if (!selection.includes(id)) renderer.nodes.get(id)?.draggable(false);
    const nodes = movable(client.local, selection).map(id => renderer.nodes.get(id)).filter((n): n is Konva.Shape => !!n);
    const editable = client.role !== 'viewer';
    for (const node of nodes) node.draggable(tool === 'select' && editable);
    // Drawing tools draw over the selection, so its handles only take presses with the select tool. A frame does not
    // turn: what is inside it would not turn with it. A line's stroke is all there is of it (a level line has no height
    // without it), so the handles hold the stroke when the selection has one; otherwise they hold the shapes' edges.
    const types = selection.map(id => client.local.get(id)?.type);
    transformer.listening(tool === 'select');
    transformer.resizeEnabled(editable);
    transformer.rotateEnabled(editable && !types.includes('frame'));
    transformer.ignoreStroke(!types.some(type => type === 'line' || type === 'arrow' || type === 'path'));
    // Attaching anew measures the nodes again (a text's new words, a line's new points) but resets the handles' box,
    // which would make a resize or turn in progress jump when a peer's change arrives: not while one is.
    if (!transformer.isTransforming()) transformer.nodes(nodes);
    connectors.showHandles(selection, tool === 'select' && editable);
    overlay.batchDraw();
    if (on('StylePanel')) properties.show(selection, client.local);
    arrangeBar.show(editable ? nodes.length : 0);
    layers.showSelection(selection);
  };

  const select = (ids: string[]) => {
    const previous = selection;
    selection = ids.filter(id => client.local.has(id));
    showSelection(previous);
    client.setPresence(pointerOnCanvas(), selection);
  };

  const setTool = (next: ToolName) => {
    tool = next === 'text' && !on('TextEditing') ? 'select' : next;
    for (const b of root.querySelectorAll<HTMLButtonElement>('[data-tool]')) b.setAttribute('aria-pressed', String(b.dataset.tool === tool));
    stageEl.dataset.tool = tool;
    showSelection(selection);
  };
  setTool('select');
  root.querySelector<HTMLElement>('[data-tool="text"]')!.hidden = !on('TextEditing');
  root.querySelectorAll<HTMLButtonElement>('[data-tool]').forEach(b => {
    b.disabled = true; // until the server says what this session may do
    b.addEventListener('click', () => setTool(b.dataset.tool as ToolName));
  });

  const history = new History(() => client.local, ops => client.submit(ops));
  const submit = (ops: Op[]) => history.apply(ops);

  const hint = new EmptyCanvasHint(root.querySelector('.workspace')!, on('AiCommands'));
  const showHint = () => hint.update(client.local.size === 0 && previewModel.size === 0, client.role !== 'viewer');
  client.on('role', showHint);
  client.on('change', showHint);
  client.on('change', ids => {
    showStatus();
    renderer.update(client.local, ids);
    // Objects may have been replaced or deleted under the selection; peers hear of it only if the selection changed.
    const kept = selection.filter(id => client.local.has(id));
    if (kept.length !== selection.length) select(kept);
    else showSelection(selection);
    cursors.updateSelections(client.peers, renderer.nodes);
  });
  /** Why the connection ended for good, when the status alone does not say it. */
  let closedBecause = 'Closed';
  /**
   * Whether the server has every change: the connection's state and the count of changes it does not have yet.
   * `data-saved` says it to scripts (end-to-end tests wait for it after a gesture), the tooltip to a person.
   */
  const showStatus = () => {
    const unsaved = client.unsavedCount;
    const saved = client.pendingCount === 0;
    const text = {
      connecting: 'Connecting…',
      online: saved ? 'Saved' : 'Saving…',
      offline: unsaved > 0 ? `Offline: ${unsaved} change${unsaved === 1 ? '' : 's'} not yet saved` : 'Offline: reconnecting…',
      closed: closedBecause,
    }[client.status];
    statusEl.dataset.status = client.status;
    if (statusEl.dataset.saved !== String(saved)) statusEl.dataset.saved = String(saved);
    if (statusEl.textContent !== text) { // called on every change: no needless layout
      statusEl.textContent = text;
      statusEl.title = client.status === 'online' ? (saved ? 'All changes saved' : 'Saving your changes…') : text;
    }
  };
  client.on('status', showStatus);
  client.on('peers', peers => {
    peersEl.replaceChildren(...[...peers.values()].map(p => {
      const avatar = document.createElement('button');
      avatar.type = 'button';
      avatar.className = 'avatar';
      avatar.style.background = p.user.color;
      avatar.textContent = p.user.name.slice(0, 1).toUpperCase();
      avatar.title = `${p.user.name}: click to follow`;
      avatar.setAttribute('aria-label', p.user.name);
      avatar.setAttribute('aria-pressed', String(follow.session === p.session));
      avatar.addEventListener('click', () => follow.toggle(p.session));
      return avatar;
    }));
    follow.peersChanged(peers);
    cursors.update(peers);
    cursors.updateSelections(peers, renderer.nodes);
  });
  client.on('error', (code, message) => {
    if (code === 'close_4404') showDeadEnd('This canvas does not exist', 'It may have been deleted, or the address is mistyped.');
    else if (code === 'close_4410') showDeadEnd('This canvas was deleted', 'Its owner deleted it; nothing more can be done here.');
    else if (code === 'close_4403') showNoAccess();
    else if (code === 'close_4401') { closedBecause = 'Signed out. Sign in again to go on.'; showStatus(); }
    else console.warn(code, message);
  });

  /** Puts a message with a way on where the canvas was, and takes every tool away: nothing done here would be kept. */
  function showDeadEnd(heading: string, text: string, ...actions: Parameters<typeof deadEnd>[2]): void {
    statusEl.hidden = true; // the message says it
    root.querySelector<HTMLElement>('.workspace')!.hidden = true;
    helpEl.hidden = true;
    for (const b of root.querySelectorAll<HTMLButtonElement>('[data-tool]')) b.disabled = true;
    for (const hidden of root.querySelectorAll<HTMLElement>('.topbar .menu:not(.account), .ai-button, .share-button')) hidden.hidden = true;
    root.querySelector('.editor')!.append(deadEnd(heading, text, [...actions, { label: 'Back to your canvases', href: '/' }]));
  }

  /**
   * A member whose access was taken away is told so; someone who never had it (a signed-in stranger, a guest whose link
   * was revoked) is told how to get it.
   */
  function showNoAccess(): void {
    const heading = client.user ? 'You no longer have access to this canvas' : "You don't have access to this canvas";
    if (!me) {
      showDeadEnd(heading, 'The share link you came with no longer works. Ask whoever sent it for a new one, or sign in.',
        { label: 'Sign in', href: `/signin?returnUrl=${encodeURIComponent(location.pathname)}` });
      return;
    }
    const account = me.email ?? me.name;
    const address = `${location.origin}/c/${canvasId}`;
    const request = `Could you give me access to this canvas? ${address} (my account: ${account})`;
    showDeadEnd(heading, `You are signed in as ${account}. Ask the canvas's owner to invite this address, or to send you a share link.`, {
      label: 'Copy an access request',
      run: button => navigator.clipboard.writeText(request).then(
        () => { button.textContent = 'Copied: send it to the owner'; },
        () => { button.replaceWith(Object.assign(document.createElement('p'), { className: 'request', textContent: request })); }),
    });
  }

  // Pan and zoom: wheel pans, Ctrl/Cmd+wheel (and pinch) zooms at the pointer, space-drag or middle-drag pans.
  stage.on('wheel', e => {
    e.evt.preventDefault();
    if (e.evt.ctrlKey || e.evt.metaKey) {
      const pointer = stage.getPointerPosition()!;
      const old = stage.scaleX();
      const scale = clampZoom(old * Math.exp(-e.evt.deltaY / 300));
      const at = { x: (pointer.x - stage.x()) / old, y: (pointer.y - stage.y()) / old };
      stage.scale({ x: scale, y: scale });
      stage.position({ x: pointer.x - at.x * scale, y: pointer.y - at.y * scale });
    } else {
      stage.position({ x: stage.x() - e.evt.deltaX, y: stage.y() - e.evt.deltaY });
    }
    stage.batchDraw();
  });
  let spaceDown = false;

  function pointerOnCanvas(): { x: number; y: number } | null {
    const p = stage.getPointerPosition();
    if (!p) return null;
    return { x: round((p.x - stage.x()) / stage.scaleX()), y: round((p.y - stage.y()) / stage.scaleY()) };
  }

  // Drawing: a new shape exists from the first pointer-down and grows with the drag; the whole drag is one undo step.
  const STYLE: Partial<Record<ToolName, Record<string, string | number>>> = {
    rect: { fill: '#4dabf7' },
    ellipse: { fill: '#ffa94d' },
    // Text, lines and frames take the theme's colours ("auto", docs/protocol.md) until someone picks one.
    frame: { fill: AUTO, stroke: AUTO, strokeWidth: 1, name: 'Frame' },
    text: { fill: AUTO },
    line: { stroke: AUTO, strokeWidth: 2 },
    arrow: { stroke: AUTO, strokeWidth: 2 },
    path: { stroke: AUTO, strokeWidth: 3 },
  };
  let drawing: { id: string; kind: ToolName; x: number; y: number; points: number[] } | null = null;
  let marquee: { x: number; y: number; keep: string[] } | null = null;
  /** Where a text tool's press began: a click makes a text as wide as its words, a drag one that wraps in that width. */
  let textBox: { x: number; y: number } | null = null;
  const marqueeRect = new Konva.Rect({ fill: 'rgba(25, 113, 194, 0.08)', stroke: '#1971c2', visible: false, listening: false });
  overlay.add(marqueeRect);
  // On pointerdown, which comes before the mousedown or touchstart where Konva decides whether a node is dragged: a
  // shape pressed here is selected, so draggable, in time for the same press to drag it.
  stage.on('pointerdown', e => {
    stageEl.focus();
    if (spaceDown || (e.evt as MouseEvent).button === 1) {
      stage.draggable(true);
      stage.startDrag();
      return;
    }
    noticeEl.hidden = true;
    const at = pointerOnCanvas();
    if (!at) return;
    if (tool !== 'select' && (client.role === null || client.role === 'viewer')) setTool('select'); // nothing it drew would be kept
    if (tool === 'text') {
      textBox = { x: at.x, y: at.y };
      marqueeRect.setAttrs({ x: at.x, y: at.y, width: 0, height: 0, visible: true, strokeWidth: 1 / stage.scaleX() });
      return;
    }
    if (tool !== 'select') {
      drawing = { id: newId(), kind: tool, x: at.x, y: at.y, points: [0, 0] };
      const parentId = tool === 'frame' ? undefined : frameAt(at.x, at.y);
      const shape: Record<string, PropValue> = tool === 'line' || tool === 'arrow' || tool === 'path' ? { points: [0, 0, 0, 0] } : { width: 1, height: 1 };
      history.begin();
      submit([{ op: 'put', id: drawing.id, props: {
        type: tool, x: at.x, y: at.y, ...shape, ...STYLE[tool], z: zTop(), ...(parentId ? { parentId } : {}), ...connectors.startProps(tool, at),
      } }]);
      return;
    }
    if (e.target.getParent() === transformer || connectors.owns(e.target)) return; // a handle: it resizes, rotates or moves an end
    const target = e.target === stage || isLocked(client.local.get(e.target.id())) ? null : e.target.id(); // locked: the background
    const shift = (e.evt as MouseEvent).shiftKey;
    if (!target) {
      marquee = { x: at.x, y: at.y, keep: shift ? selection : [] };
      marqueeRect.setAttrs({ x: at.x, y: at.y, width: 0, height: 0, visible: true, strokeWidth: 1 / stage.scaleX() });
      select(marquee.keep);
    }
    else if (shift) select(selection.includes(target) ? selection.filter(s => s !== target) : [...selection, target]);
    else if (!selection.includes(target)) select([target]);
  });
  stage.on('mousemove touchmove', () => {
    const at = pointerOnCanvas();
    client.setPresence(at, selection);
    if (textBox && at) {
      marqueeRect.setAttrs({ x: Math.min(at.x, textBox.x), y: Math.min(at.y, textBox.y), width: Math.abs(at.x - textBox.x), height: Math.abs(at.y - textBox.y) });
      overlay.batchDraw();
      return;
    }
    if (marquee && at) {
      const box = { x: Math.min(at.x, marquee.x), y: Math.min(at.y, marquee.y), width: Math.abs(at.x - marquee.x), height: Math.abs(at.y - marquee.y) };
      marqueeRect.setAttrs(box);
      const inside = [...renderer.visibleBounds(new Set())].filter(b => b.x >= box.x && b.y >= box.y && b.x + b.width <= box.x + box.width && b.y + b.height <= box.y + box.height).map(b => b.id)
        .filter(id => !isLocked(client.local.get(id)));
      select([...new Set([...marquee.keep, ...inside])]);
      return;
    }
    if (!drawing || !at) return;
    connectors.drawing(drawing.kind, drawing.id, at);
    const dx = round(at.x - drawing.x), dy = round(at.y - drawing.y);
    if (drawing.kind === 'path') {
      drawing.points.push(dx, dy);
      submit([{ op: 'put', id: drawing.id, props: { points: [...drawing.points] } }]);
    } else if (drawing.kind === 'line' || drawing.kind === 'arrow') {
      submit([{ op: 'put', id: drawing.id, props: { points: [0, 0, dx, dy] } }]);
    } else {
      submit([{ op: 'put', id: drawing.id, props: {
        x: Math.min(at.x, drawing.x), y: Math.min(at.y, drawing.y), width: Math.max(1, Math.abs(dx)), height: Math.max(1, Math.abs(dy)),
      } }]);
    }
  });
  stage.on('mouseup touchend', () => {
    stage.draggable(false);
    if (textBox) {
      const start = textBox, at = pointerOnCanvas() ?? start;
      textBox = null;
      marqueeRect.visible(false);
      const width = Math.abs(at.x - start.x) * stage.scaleX() >= 8 ? round(Math.abs(at.x - start.x)) : undefined;
      const x = width === undefined ? start.x : Math.min(at.x, start.x), y = Math.min(at.y, start.y);
      const id = newId();
      const parentId = frameAt(x, y);
      submit([{ op: 'put', id, props: {
        type: 'text', x, y, text: 'Text', fontSize: 24, ...(width !== undefined ? { width } : {}), ...STYLE.text, z: zTop(), ...(parentId ? { parentId } : {}),
      } }]);
      setTool('select');
      select([id]);
      // After the browser has finished handling this press (which moves focus to the canvas), not before.
      setTimeout(() => editText(id));
      return;
    }
    if (marquee) {
      marquee = null;
      marqueeRect.visible(false);
      overlay.batchDraw();
    }
    if (drawing) {
      const id = drawing.id;
      submit(connectors.finishDrawing(drawing.kind, id, pointerOnCanvas()));
      drawing = null;
      history.end();
      setTool('select');
      select([id]);
    }
  });
  stage.on('mouseleave', () => client.setPresence(null, selection));

  // Moving the selection: each drag is one undo step. A frame carries what is inside it; a shape dropped on a
  // frame goes into it, and out of it when dropped outside.
  content.on('dragstart', () => { history.begin(); submit(connectors.detach(selection)); });
  content.on('dragmove', e => {
    if (e.target === stage) return;
    const id = e.target.id();
    const obj = client.local.get(id);
    if (!obj) return;
    // Snap to the edges and centres of what is on screen, and show the guides.
    const moving = e.target.getClientRect({ relativeTo: content });
    const skip = connectors.withFollowers([id, ...selection, ...descendantsOf(id)]);
    const snapped = snap(moving, renderer.visibleBounds(skip), 6 / stage.scaleX());
    e.target.position({ x: e.target.x() + snapped.dx, y: e.target.y() + snapped.dy });
    showGuides(snapped.vertical, snapped.horizontal);
    const x = round(e.target.x()), y = round(e.target.y());
    const dx = x - (obj.x as number ?? 0), dy = y - (obj.y as number ?? 0);
    const ops: Op[] = [{ op: 'put', id, props: { x, y } }];
    if (obj.type === 'frame') {
      for (const child of descendantsOf(id)) {
        const c = client.local.get(child)!;
        ops.push({ op: 'put', id: child, props: { x: round((c.x as number ?? 0) + dx), y: round((c.y as number ?? 0) + dy) } });
      }
    }
    submit(ops);
  });
  content.on('dragend', e => {
    showGuides([], []);
    const id = e.target.id();
    const obj = client.local.get(id);
    if (obj && obj.type !== 'frame') {
      const box = e.target.getClientRect({ relativeTo: content });
      const parent = frameAt(box.x + box.width / 2, box.y + box.height / 2, id);
      if ((parent ?? null) !== ((obj.parentId as string | undefined) ?? null)) submit([{ op: 'put', id, props: { parentId: parent ?? null } }]);
    }
    history.end();
  });
  // A resize or turn of the selection is one change (one undo step), sent when the handle is let go: the nodes were
  // scaled and turned by the transformer, which the objects keep as their own size (each type says how) and rotation.
  // Connectors turned or resized without the shapes they are bound to leave them first (in the same step).
  transformer.on('transformstart', () => { history.begin(); submit(connectors.detach(selection)); });
  transformer.on('transformend', () => {
    // A peer may have deleted one of them meanwhile.
    submit(transformer.nodes().filter(node => client.local.has(node.id())).map(node => {
      const obj = client.local.get(node.id())!;
      const size = SHAPES[obj.type].resized(obj, node, node.scaleX(), node.scaleY());
      node.scale({ x: 1, y: 1 });
      const rotation = round(((node.rotation() + 540) % 360) - 180);
      return { op: 'put' as const, id: node.id(), props: { x: round(node.x()), y: round(node.y()), rotation, ...size } };
    }));
    history.end();
  });
  content.on('dblclick dbltap', e => {
    const obj = client.local.get(e.target.id());
    if (obj?.type === 'text' && !isLocked(obj)) editText(e.target.id());
  });

  const guides = new Konva.Group({ listening: false });
  overlay.add(guides);
  function showGuides(vertical: number[], horizontal: number[]): void {
    guides.destroyChildren();
    const big = 1e6, width = 1 / stage.scaleX();
    for (const x of vertical) guides.add(new Konva.Line({ points: [x, -big, x, big], stroke: '#f03e3e', strokeWidth: width, dash: [4 * width, 4 * width] }));
    for (const y of horizontal) guides.add(new Konva.Line({ points: [-big, y, big, y], stroke: '#f03e3e', strokeWidth: width, dash: [4 * width, 4 * width] }));
    overlay.batchDraw();
  }

  /**
   * Edits a text where it is drawn: a textarea in the text's own font, size, weight, alignment, colour and wrapping
   * width, over the node (hidden meanwhile, and kept measuring the words so the textarea grows as the text will).
   * Esc, Ctrl/Cmd+Enter or a click elsewhere keeps the words; a text left empty is deleted.
   */
  function editText(id: string): void {
    const node = renderer.nodes.get(id) as Konva.Text | undefined;
    const obj = client.local.get(id);
    if (!node || !obj || client.role === 'viewer' || !on('TextEditing')) return;
    const scale = stage.scaleX();
    const fixedWidth = typeof obj.width === 'number';
    const area = document.createElement('textarea');
    area.className = 'text-editor';
    area.setAttribute('aria-label', 'Text');
    area.value = typeof obj.text === 'string' ? obj.text : '';
    area.wrap = fixedWidth ? 'soft' : 'off';
    const at = node.getAbsolutePosition();
    Object.assign(area.style, {
      left: `${stageEl.offsetLeft + at.x}px`, top: `${stageEl.offsetTop + at.y}px`,
      transform: node.rotation() ? `rotate(${node.rotation()}deg)` : '',
      fontFamily: node.fontFamily(), fontWeight: node.fontStyle(), fontSize: `${node.fontSize() * scale}px`,
      lineHeight: String(TEXT_DEFAULTS.lineHeight), textAlign: node.align(), color: String(node.fill()),
    });
    const fit = () => {
      node.text(area.value || ' ');
      area.style.width = `${(fixedWidth ? node.width() : node.width() + node.fontSize()) * scale}px`;
      area.style.height = `${node.height() * scale}px`;
    };
    fit();
    node.visible(false);
    content.batchDraw();
    area.addEventListener('input', fit);
    root.querySelector('.editor')!.append(area);
    area.focus();
    area.select();
    let done = false;
    const finish = () => {
      if (done) return; // removing the textarea blurs it, which calls this again
      done = true;
      const text = area.value.slice(0, 10_000);
      area.remove();
      if (!client.local.has(id)) return; // deleted by someone meanwhile
      if (text.trim() === '') { submit([{ op: 'delete', id }]); select(selection.filter(s => s !== id)); }
      else submit([{ op: 'put', id, props: { text } }]);
      stageEl.focus();
    };
    area.addEventListener('blur', finish);
    area.addEventListener('keydown', e => {
      if (e.key === 'Escape' || (e.key === 'Enter' && (e.ctrlKey || e.metaKey))) finish();
      e.stopPropagation();
    });
  }

  function zRange(): { top?: string; bottom?: string } {
    let top: string | undefined, bottom: string | undefined;
    for (const [, obj] of client.local.entries()) {
      if (typeof obj.z !== 'string') continue;
      if (top === undefined || obj.z > top) top = obj.z;
      if (bottom === undefined || obj.z < bottom) bottom = obj.z;
    }
    return { top, bottom };
  }

  /** A `z` above every object. */
  function zTop(): string { return keyBetween(zRange().top, undefined); }

  /** The innermost frame under a canvas point, other than `except` and its descendants. */
  function frameAt(x: number, y: number, except?: string): string | undefined {
    let found: { id: string; area: number } | undefined;
    for (const [id, obj] of client.local.entries()) {
      if (obj.type !== 'frame' || id === except || isInside(id, except)) continue;
      const fx = obj.x as number ?? 0, fy = obj.y as number ?? 0, fw = obj.width as number ?? 0, fh = obj.height as number ?? 0;
      if (x >= fx && y >= fy && x <= fx + fw && y <= fy + fh && (!found || fw * fh < found.area)) found = { id, area: fw * fh };
    }
    return found?.id;
  }

  /** Whether `id` lies (at any depth) inside `ancestor`. */
  function isInside(id: string, ancestor: string | undefined): boolean {
    if (!ancestor) return false;
    for (let p = client.local.get(id)?.parentId; typeof p === 'string'; p = client.local.get(p)?.parentId) if (p === ancestor) return true;
    return false;
  }

  function descendantsOf(id: string): string[] {
    return [...client.local.ids()].filter(other => isInside(other, id));
  }

  const commands: Record<Command, (e: KeyboardEvent) => void> = {
    delete: () => { submit([...connectors.beforeDelete(selection), ...selection.map(id => ({ op: 'delete' as const, id }))]); select([]); },
    escape: () => select([]),
    help: () => { helpEl.hidden = !helpEl.hidden; },
    'nudge-left': e => nudge(e.shiftKey ? -10 : -1, 0),
    'nudge-right': e => nudge(e.shiftKey ? 10 : 1, 0),
    'nudge-up': e => nudge(0, e.shiftKey ? -10 : -1),
    'nudge-down': e => nudge(0, e.shiftKey ? 10 : 1),
    'zoom-fit': () => zoomToFit(),
    undo: () => { history.undo(); },
    redo: () => { history.redo(); },
    duplicate: () => paste(copyOf(client.local, selection), 20),
    copy: () => {}, // the browser's copy event does it (below), with no permission prompt
    paste: () => {},
    'select-all': () => select(movable(client.local, [...client.local.ids()])),
    'bring-front': () => restack(zRange().top, undefined),
    'send-back': () => restack(undefined, zRange().bottom),
    'bring-forward': () => step(+1),
    'send-backward': () => step(-1),
    'zoom-selection': () => zoomTo(selection.length > 0 ? unionBox(selection) : null),
    ai: () => { if (client.role !== 'viewer' && on('AiCommands')) palette.open(); },
    lock: () => submit(toggleLockOps(client.local, selection)),
    layers: () => layers.toggle(),
    ...Object.fromEntries(ARRANGE_BUTTONS.map(({ command }) => [command, () => arrange(command)])) as Record<AlignCommand, () => void>,
  };

  /** Aligns or distributes what of the selection may move, as one change. */
  function arrange(how: AlignCommand): void {
    const boxOf = (id: string) => { const node = renderer.nodes.get(id); return node && drawnBox(node, content); };
    submit(arrangeOps(client.local, movable(client.local, selection), boxOf, how, descendantsOf));
  }

  // AI commands: the palette asks the server; the result comes back over the WebSocket like any change.
  const preview = new Konva.Group({ listening: false, visible: false });
  const previewBox = new Konva.Rect({ stroke: '#4dabf7', dash: [8, 6], strokeWidth: 2, fill: 'rgba(77, 171, 247, 0.08)', cornerRadius: 8 });
  const previewLabel = new Konva.Text({ fill: '#1971c2', fontSize: 13, fontStyle: 'bold', padding: 6 });
  preview.add(previewBox, previewLabel);
  overlay.add(preview);
  /** Outlines where a command's result goes (or, with null, nothing). */
  const outline = (box: { x: number; y: number; width: number; height: number } | null, label: string) => {
    preview.visible(box !== null);
    if (box) {
      const scale = stage.scaleX();
      previewBox.setAttrs(box);
      previewLabel.setAttrs({ x: box.x, y: box.y, text: label, scaleX: 1 / scale, scaleY: 1 / scale });
    }
    overlay.batchDraw();
  };
  const previewRenderer = new Renderer(previewLayer, currentPalette());
  const palette = new CommandPalette({
    canvasId,
    selection: () => selection,
    viewport: () => {
      const scale = stage.scaleX();
      return { x: round(-stage.x() / scale), y: round(-stage.y() / scale), width: round(stage.width() / scale), height: round(stage.height() / scale) };
    },
    selectionBounds: () => (selection.length > 0 ? unionBox(selection) : null),
    preview: outline,
    showResult: (ops, reset) => {
      if (reset) {
        const gone = [...previewModel.ids()];
        previewModel = new CanvasModel();
        previewRenderer.update(previewModel, gone);
      }
      // A change to an object of the canvas is previewed as that object changed.
      for (const op of ops) {
        const existing = op.op === 'put' && !previewModel.has(op.id) ? client.local.get(op.id) : undefined;
        if (existing) previewModel.apply([{ op: 'put', id: op.id, props: { ...existing } }]);
      }
      previewRenderer.update(previewModel, previewModel.apply(ops));
      showHint();
      const boxes = [...previewRenderer.nodes.values()].map(n => n.getClientRect({ relativeTo: previewLayer }));
      if (boxes.length === 0) return;
      const x = Math.min(...boxes.map(b => b.x)), y = Math.min(...boxes.map(b => b.y));
      outline({ x, y, width: Math.max(...boxes.map(b => b.x + b.width)) - x, height: Math.max(...boxes.map(b => b.y + b.height)) - y },
        'Preview: only you see it until you accept');
    },
    clearResult: () => {
      const gone = [...previewModel.ids()];
      previewModel = new CanvasModel();
      previewRenderer.update(previewModel, gone);
      showHint();
    },
    applied: result => {
      history.record(result.undo);
      const left = `${result.remaining} AI commands left this hour`;
      notify(`${result.summary} · ${left}`);
      // Once the batch is here (it may come before or after this answer), select what was made: its top objects.
      const seq = result.seq;
      const arrived = (): boolean => {
        if (seq === null || client.seq < seq) return false;
        const made = new Set(result.created);
        const roots = result.created.filter(id => { const p = client.local.get(id)?.parentId; return typeof p !== 'string' || !made.has(p); });
        select(roots);
        reveal(unionBox(roots));
        notify(`${result.summary} · ${left}`);
        return true;
      };
      if (result.created.length > 0 && !arrived()) {
        const off = client.on('change', () => { if (arrived()) off(); });
      }
      stageEl.focus();
    },
  });
  root.querySelector<HTMLButtonElement>('.ai-button')!.addEventListener('click', () => palette.open());

  /** Moves the selection one place up or down the stacking order, past the next object that is not selected. */
  function step(direction: 1 | -1): void {
    const zs = [...client.local.entries()].filter(([id, o]) => !selection.includes(id) && typeof o.z === 'string').map(([, o]) => o.z as string).sort();
    const mine = selection.map(id => client.local.get(id)?.z).filter((z): z is string => typeof z === 'string').sort();
    if (mine.length === 0) return;
    if (direction > 0) {
      const next = zs.findIndex(z => z > mine[mine.length - 1]);
      if (next >= 0) restack(zs[next], zs[next + 1]);
    } else {
      const lower = zs.filter(z => z < mine[0]);
      if (lower.length > 0) restack(lower[lower.length - 2], lower[lower.length - 1]);
    }
  }

  function unionBox(ids: string[]): { x: number; y: number; width: number; height: number } | null {
    const boxes = ids.map(id => renderer.nodes.get(id)?.getClientRect({ relativeTo: content })).filter(b => b !== undefined);
    if (boxes.length === 0) return null;
    const x = Math.min(...boxes.map(b => b.x)), y = Math.min(...boxes.map(b => b.y));
    return { x, y, width: Math.max(...boxes.map(b => b.x + b.width)) - x, height: Math.max(...boxes.map(b => b.y + b.height)) - y };
  }

  /** New `z` keys for the selection, in its current order, between `after` and `before`. */
  function restack(after: string | undefined, before: string | undefined): void {
    const ordered = [...selection].sort((a, b) => compareZ(client.local.get(a)?.z, client.local.get(b)?.z));
    let previous = after;
    const ops: Op[] = [];
    for (const id of ordered) {
      previous = keyBetween(previous, before);
      ops.push({ op: 'put', id, props: { z: previous } });
    }
    submit(ops);
  }

  function paste(objects: Record<string, CanvasObject> | null, offset: number): void {
    if (!objects) return;
    const { ops, ids } = pasteOps(objects, offset, zRange().top, newId);
    submit(ops);
    select(ids);
  }

  document.addEventListener('copy', e => {
    if (document.activeElement !== stageEl || selection.length === 0) return;
    e.clipboardData?.setData('text/plain', JSON.stringify(copyOf(client.local, selection)));
    e.preventDefault();
  });
  document.addEventListener('paste', e => {
    if (document.activeElement !== stageEl) return;
    try {
      paste(JSON.parse(e.clipboardData?.getData('text/plain') ?? ''), 20);
      e.preventDefault();
    } catch {
      // not ours: ignore
    }
  });
  root.querySelector('.help-button')!.addEventListener('click', () => { helpEl.hidden = !helpEl.hidden; });
  root.querySelector('.theme-button')!.addEventListener('click', toggleTheme);

  function nudge(dx: number, dy: number): void {
    submit(movable(client.local, selection).map(id => {
      const obj = client.local.get(id)!;
      return { op: 'put' as const, id, props: { x: round((obj.x as number ?? 0) + dx), y: round((obj.y as number ?? 0) + dy) } };
    }));
  }

  function zoomToFit(): void {
    const all = [...renderer.nodes.values()];
    all.forEach(n => n.visible(true)); // culling would hide what is off screen from the measurement
    const box = content.getClientRect({ relativeTo: content });
    cull();
    zoomTo(box.width > 0 && box.height > 0 ? box : null);
  }

  /** Pans so that `box` is in view (zooming out only when it does not fit); a box already in view leaves the view alone. */
  function reveal(box: { x: number; y: number; width: number; height: number } | null): void {
    if (!box) return;
    // The selection just made may have opened the properties panel: measure the stage as it is laid out now, not as
    // it was before the resize observer hears of it.
    stage.size({ width: stageEl.clientWidth, height: stageEl.clientHeight });
    const scale = stage.scaleX();
    const view = { x: -stage.x() / scale, y: -stage.y() / scale, width: stage.width() / scale, height: stage.height() / scale };
    if (box.x >= view.x && box.y >= view.y && box.x + box.width <= view.x + view.width && box.y + box.height <= view.y + view.height) return;
    if ((box.width + 80) * scale > stage.width() || (box.height + 80) * scale > stage.height()) { zoomTo(box); return; }
    stage.position({ x: -box.x * scale + (stage.width() - box.width * scale) / 2, y: -box.y * scale + (stage.height() - box.height * scale) / 2 });
    stage.batchDraw();
  }

  /** Zooms (10% to 800%) and pans so that `box` fills the view with a margin. */
  function zoomTo(box: { x: number; y: number; width: number; height: number } | null): void {
    if (!box) return;
    const scale = clampZoom(Math.min(stage.width() / (box.width + 80), stage.height() / (box.height + 80)));
    stage.scale({ x: scale, y: scale });
    stage.position({ x: -box.x * scale + (stage.width() - box.width * scale) / 2, y: -box.y * scale + (stage.height() - box.height * scale) / 2 });
    stage.batchDraw();
  }

  stageEl.addEventListener('keydown', e => {
    if (e.key === ' ') { spaceDown = true; stageEl.dataset.panning = 'true'; return; }
    if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && selection.length === 1 && client.local.get(selection[0])?.type === 'text') {
      e.preventDefault();
      editText(selection[0]);
      return;
    }
    const command = findShortcut(e);
    if (command === 'copy' || command === 'paste') return; // leave it to the browser's copy and paste events
    if (command) { e.preventDefault(); commands[command](e); return; }
    const toolShortcut = TOOLS.find(t => t.key === e.key.toLowerCase());
    if (toolShortcut && !e.ctrlKey && !e.metaKey) setTool(toolShortcut.name);
  });
  stageEl.addEventListener('keyup', e => { if (e.key === ' ') { spaceDown = false; delete stageEl.dataset.panning; } });

  // Export the selection, or the whole canvas when nothing is selected; import adds a file's objects.
  const fileName = () => (root.querySelector('.title')!.textContent || 'canvas').replace(/[^\w.-]+/g, '-');
  root.querySelectorAll<HTMLButtonElement>('[data-export]').forEach(b => b.addEventListener('click', () => {
    const kind = b.dataset.export;
    if (kind === 'png') {
      const url = toPng(content, selection, currentPalette().canvas);
      if (url) download(`${fileName()}.png`, url);
    } else if (kind === 'svg') {
      download(`${fileName()}.svg`, blobUrl(toSvg(content, selection, currentPalette().canvas), 'image/svg+xml'));
    } else {
      download(`${fileName()}.json`, blobUrl(toJson(client.local), 'application/json'));
    }
    root.querySelector<HTMLDetailsElement>('details.menu')!.open = false;
  }));
  root.querySelector<HTMLInputElement>('.import input')!.addEventListener('change', async e => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      paste(readCanvasFile(await file.text()), 0);
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error));
    }
    (e.target as HTMLInputElement).value = '';
  });

  client.start();
  stageEl.focus();
  (window as unknown as { collabcanvas: unknown }).collabcanvas = { client, stage };
}
