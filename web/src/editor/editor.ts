// The editor page: toolbar, canvas, presence. The sync client owns the document; this module wires the page
// together: pointer and keyboard input go to the active tool (tools/registry.ts) or a gesture (tools/move.ts, the
// handles, viewport.ts), whose ops go through the undo history to the sync client, and the local model is rendered.
import Konva from 'konva';
import { api, type Me } from '../api';
import { clientId, guestName } from '../identity';
import { accountMenu } from '../auth/account';
import { openShareDialog } from './share';
import { CommandPalette } from './palette';
import type { Op } from '../sync/protocol';
import { SyncClient } from '../sync/SyncClient';
import { ContentLayer, OverlayLayer, Renderer } from './renderer';
import { CanvasModel } from '../sync/model';
import { onFontsLoaded } from './fonts';
import { TOOLS, findShortcut, type ToolName } from './tools';
import { installTooltips, toolButtons } from './toolbar';
import { fillHelpPanel } from './help';
import { History } from './history';
import { PropertiesPanel } from './properties';
import { blobUrl, download, readCanvasFile, toJson, toPng, toSvg } from './export';
import { onThemeChange, toggleTheme } from '../theme';
import { currentPalette } from './colors';
import { Cursors } from './cursors';
import { CanvasTitle } from './title';
import { EmptyCanvasHint } from './hint';
import { Viewport } from './viewport';
import { OverlayMarks, SelectionHandles } from './handles';
import { editTextInPlace } from './textEditing';
import { createCommands, installClipboard, paste, type CommandServices } from './commands';
import { LayersPanel, isLocked, movable } from './layers';
import { isHidden } from './visibility';
import { ConnectorEditing } from './connectors';
import { ArrangeBar, arrangeOps, drawnBox } from './align';
import { descendantsOf } from './structure';
import { createTools } from './tools/registry';
import { MoveGesture } from './tools/move';
import { commitText, enterEditsText } from './tools/text';
import { round, type EditorTool, type PointerInput } from './tools/tool';
import type { Box } from './snapping';
import { Follow } from './follow';
import { Playback } from './playback/playback';
import { ObjectHistory } from './playback/objectHistory';
import { deadEnd } from '../deadEnd';
import type { Features } from '../features';
import { VersionHistory } from './versions/versionHistory';

/** A line drawing of a download, for the Export menu's button when its word does not fit. */
const EXPORT_ICON = '<svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 4v11M7 10l5 5 5-5M5 19h14"/></svg>';

const newId = () => crypto.randomUUID().replaceAll('-', '').slice(0, 16);

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
  fillHelpPanel(helpEl.querySelector('dl')!, on);
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
    if (role === 'viewer') { gestureTool?.cancel(); setTool('select'); }
  });

  const stage = new Konva.Stage({ container: stageEl, width: stageEl.clientWidth, height: stageEl.clientHeight });
  const content = new ContentLayer();
  // What an AI command would make, shown to the requester alone until accepted: not objects of the canvas (nothing
  // selects, exports or undoes them), dimmed and outlined.
  const previewLayer = new OverlayLayer({ listening: false, opacity: 0.75 });
  const overlay = new OverlayLayer();
  stage.add(content, previewLayer, overlay);
  const handles = new SelectionHandles(overlay, () => client.local, {
    // Connectors turned or resized without the shapes they are bound to leave them first (in the same step).
    started: () => { history.begin(); submit(connectors.detach(selection)); },
    moved: nodes => connectors.followTransform(nodes),
    ended: ops => { submit(ops); history.end(); },
  });
  const renderer = new Renderer(content, currentPalette());
  const connectors = new ConnectorEditing({
    stage, overlay, model: () => client.local, submit: ops => submit(ops), node: id => renderer.nodes.get(id),
    followers: ids => renderer.withFollowers(ids), objectsAt: at => renderer.idsAt(at),
    gesture: begin => (begin ? history.begin() : history.end()),
  });
  /** An AI command's result that only this user sees until they accept it (see the palette). */
  let previewModel = new CanvasModel();
  onThemeChange(() => renderer.setPalette(currentPalette(), shown()));
  // Texts drawn before their web font arrived were drawn and measured in a fallback: draw them again, handles too.
  onFontsLoaded(() => {
    renderer.update(shown(), [...shown().entries()].filter(([, o]) => o.type === 'text').map(([id]) => id));
    showSelection(selection);
  });
  const viewport = new Viewport(stage, stageEl, renderer);
  // Playback replaces what the renderer draws with a past state, read-only, until it closes (playback/playback.ts).
  const playback = new Playback({
    canvasId, stage, renderer, content, liveSeq: () => client.seq, view: () => viewport.view,
    opened: () => { versions?.back(); gestureTool?.cancel(); gestureTool = null; select([]); content.listening(false); },
    closed: () => { content.listening(true); renderer.update(client.local, 'all'); showSelection(selection); },
  });
  /** The document drawn: the live one, or playback's state while it is open. */
  const shown = () => playback.model ?? client.local;
  const objectHistory = new ObjectHistory(canvasId, seq => playback.open(seq));
  if (on('VersionHistory')) {
    root.querySelector('.topbar .theme-button')!.before(playback.button);
    root.querySelector('.workspace')!.append(playback.bar);
    root.querySelector('.side')!.append(objectHistory.element);
  }
  const cursors = new Cursors(overlay);
  const marks = new OverlayMarks(overlay);

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

  // Version history (off with its feature flag): while a version shows read-only, nothing edits the canvas (submit,
  // the pointer and the keys below ask `previewing`).
  const versions = on('VersionHistory') ? new VersionHistory({
    canvasId, stage, liveLayers: [content, previewLayer, overlay], cullWithView: renderer => viewport.alsoCull(renderer),
    role: () => client.role, signedIn: me !== null,
    restored: undo => history.record(undo),
    playFrom: seq => playback.open(seq),
    previewChanged: active => {
      root.querySelector<HTMLElement>('.editor')!.toggleAttribute('data-previewing', active);
      if (active) { gestureTool?.cancel(); gestureTool = null; setTool('select'); select([]); }
    },
    notify, focusCanvas: () => stageEl.focus(),
  }) : null;
  if (versions) {
    root.querySelector('.workspace')!.append(versions.panel, versions.banner);
    root.querySelector('.topbar .theme-button')!.before(versions.button);
    client.on('role', () => versions.roleChanged());
  }

  // Back to the canvas after a click, where the keys (undo, nudge) work.
  const arrangeBar = new ArrangeBar(command => { services.arrange(command); stageEl.focus(); });
  root.querySelector('.side')!.append(arrangeBar.element); // after the style panel in Tab order, shown above it (CSS)
  const properties = new PropertiesPanel(root.querySelector<HTMLElement>('.properties')!, ops => submit(ops),
    begin => (begin ? history.begin() : history.end()));
  /** Shows the selection (handles, draggable nodes, properties); touches only the nodes entering or leaving it. */
  const showSelection = (previous: readonly string[]) => {
    // Only nodes that left the selection: turning dragging off mid-drag would end the drag.
    for (const id of previous) if (!selection.includes(id)) renderer.nodes.get(id)?.draggable(false);
    const nodeOf = (id: string) => renderer.nodes.get(id);
    const moving = movable(client.local, selection).filter(id => !isHidden(client.local, client.local.get(id))); // a hidden one has no node, nor end handles
    const nodes = moving.map(nodeOf).filter((n): n is Konva.Shape => !!n);
    // Locked objects selected in the layers panel: outlined, with no handles (a press on one is a press on the background).
    const locked = selection.filter(id => !moving.includes(id)).map(nodeOf).filter((n): n is Konva.Shape => !!n);
    const editable = client.role !== 'viewer';
    for (const node of nodes) node.draggable(tool === 'select' && editable);
    // Drawing tools draw over the selection, so its handles only take presses with the select tool.
    handles.show(nodes.length > 0 ? nodes : locked, selection.map(id => client.local.get(id)?.type), tool === 'select', editable && nodes.length > 0);
    connectors.showHandles(moving, tool === 'select' && editable);
    overlay.batchDraw();
    if (on('StylePanel')) properties.show(selection, client.local);
    arrangeBar.show(editable ? nodes.length : 0);
    layers.showSelection(selection);
    if (on('VersionHistory')) objectHistory.show(selection.length === 1 ? selection[0] : null);
  };

  const select = (ids: string[]) => {
    const previous = selection;
    selection = playback.model ? [] : ids.filter(id => client.local.has(id)); // playback shows the past: nothing to select
    showSelection(previous);
    client.setPresence(viewport.pointer(), selection);
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
  const submit = (ops: Op[]) => { if (!versions?.previewing) history.apply(ops); };

  const hint = new EmptyCanvasHint(root.querySelector('.workspace')!, on('AiCommands'));
  const showHint = () => hint.update(client.local.size === 0 && previewModel.size === 0, client.role !== 'viewer');
  client.on('role', showHint);
  client.on('change', showHint);
  client.on('change', ids => {
    showStatus();
    if (playback.model) playback.liveChanged(); else renderer.update(client.local, ids);
    objectHistory.changed(ids);
    // Objects may have been replaced or deleted under the selection; peers hear of it only if the selection changed.
    // A change that does not touch the selection (or a connector bound to it) leaves the handles and the style panel.
    const kept = selection.filter(id => client.local.has(id));
    if (kept.length !== selection.length) select(kept);
    else if (ids === 'all' || [...renderer.withFollowers(ids)].some(id => selection.includes(id))) showSelection(selection);
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
    if (statusEl.dataset.status !== client.status) statusEl.dataset.status = client.status;
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

  // Tools and gestures get the editor through these services; each tool is a module (tools/registry.ts).
  const services: CommandServices = {
    doc: () => client.local,
    submit: ops => submit(ops),
    beginStep: () => history.begin(),
    endStep: () => history.end(),
    selection: () => selection,
    select: ids => select(ids),
    setTool: name => setTool(name),
    newId,
    scale: () => viewport.scale,
    visibleBounds: except => renderer.visibleBounds(except),
    showBand: box => marks.showBand(box),
    showGuides: (vertical, horizontal, gaps) => marks.showGuides(vertical, horizontal, gaps),
    editText: id => editText(id),
    connectors,
    undo: () => { history.undo(); },
    redo: () => { history.redo(); },
    toggleHelp: () => { helpEl.hidden = !helpEl.hidden; },
    zoomToFit: () => viewport.zoomToFit(),
    zoomTo: box => viewport.zoomTo(box),
    selectionBounds: () => (selection.length > 0 ? unionBox(selection) : null),
    openAi: () => { if (client.role !== 'viewer' && on('AiCommands')) palette.open(); },
    toggleLayers: () => layers.toggle(),
    toggleHistory: () => versions?.toggle(),
    arrange: how => {
      const boxOf = (id: string) => { const node = renderer.nodes.get(id); return node && drawnBox(node, content); };
      submit(arrangeOps(client.local, movable(client.local, selection), boxOf, how, id => descendantsOf(client.local, id)));
    },
  };
  const tools = createTools(services);
  const commands = createCommands(services);
  const move = new MoveGesture(services);
  /** The tool that took the press of the gesture in progress: it gets the moves and the release, whatever the tool now. */
  let gestureTool: EditorTool | null = null;
  /** The last pointer input, for a release the stage has no position for. */
  let lastInput: PointerInput | null = null;
  const pointerInput = (e: Konva.KonvaEventObject<MouseEvent | TouchEvent | PointerEvent>): PointerInput | null => {
    const at = viewport.pointer();
    if (!at) return null;
    lastInput = {
      at,
      target: e.target === stage ? null : e.target.id(),
      onHandle: handles.owns(e.target) || connectors.owns(e.target), // it resizes, rotates or moves an end
      shift: (e.evt as MouseEvent).shiftKey ?? false,
    };
    return lastInput;
  };

  // On pointerdown, which comes before the mousedown or touchstart where Konva decides whether a node is dragged: a
  // shape pressed here is selected, so draggable, in time for the same press to drag it.
  stage.on('pointerdown', e => {
    stageEl.focus();
    if (viewport.startPan(e.evt as MouseEvent) || versions?.previewing || playback.model) return;
    noticeEl.hidden = true;
    const input = pointerInput(e);
    if (!input) return;
    if (tool !== 'select' && (client.role === null || client.role === 'viewer')) setTool('select'); // nothing it drew would be kept
    gestureTool = tools[tool];
    gestureTool.onPointerDown(input);
  });
  stage.on('mousemove touchmove', e => {
    const input = pointerInput(e);
    client.setPresence(input?.at ?? null, selection);
    if (input) gestureTool?.onPointerMove(input);
  });
  stage.on('mouseup touchend', e => {
    viewport.endPan();
    const input = pointerInput(e) ?? lastInput;
    const ended = gestureTool;
    gestureTool = null;
    if (ended && input) ended.onPointerUp(input);
  });
  stage.on('mouseleave', () => client.setPresence(null, selection));

  // Moving the selection: Konva drags the nodes, the move gesture makes the changes.
  content.on('dragstart', () => move.start());
  content.on('dragmove', e => {
    if (e.target === stage) return;
    move.move(e.target.id(), e.target.getClientRect({ relativeTo: content }), e.target);
  });
  content.on('dragend', e => move.end(e.target.id(), e.target.getClientRect({ relativeTo: content })));
  content.on('dblclick dbltap', e => {
    const obj = client.local.get(e.target.id());
    if (obj?.type === 'text' && !isLocked(obj)) editText(e.target.id());
  });

  /** Edits a text in place (textEditing.ts); the words are kept by the text tool's rule. */
  function editText(id: string): void {
    const node = renderer.nodes.get(id) as Konva.Text | undefined;
    const obj = client.local.get(id);
    if (!node || !obj || client.role === 'viewer' || !on('TextEditing')) return;
    editTextInPlace(node, typeof obj.width === 'number', typeof obj.text === 'string' ? obj.text : '', viewport.scale, stageEl,
      root.querySelector('.editor')!, text => { if (commitText(services, id, text)) stageEl.focus(); });
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
      const view = viewport.view;
      return { x: round(view.x), y: round(view.y), width: round(view.width), height: round(view.height) };
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
        viewport.reveal(unionBox(roots));
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

  function unionBox(ids: string[]): Box | null {
    const boxes = ids.map(id => renderer.nodes.get(id)?.getClientRect({ relativeTo: content })).filter(b => b !== undefined);
    if (boxes.length === 0) return null;
    const x = Math.min(...boxes.map(b => b.x)), y = Math.min(...boxes.map(b => b.y));
    return { x, y, width: Math.max(...boxes.map(b => b.x + b.width)) - x, height: Math.max(...boxes.map(b => b.y + b.height)) - y };
  }

  installClipboard(stageEl, services);
  root.querySelector('.help-button')!.addEventListener('click', () => { helpEl.hidden = !helpEl.hidden; });
  root.querySelector('.theme-button')!.addEventListener('click', toggleTheme);

  stageEl.addEventListener('keydown', e => {
    if (viewport.keyDown(e)) return;
    if (versions?.previewing) { // read only: Esc goes back to the live canvas, the panel's key still works
      if (e.key === 'Escape') versions.back();
      else if (findShortcut(e) === 'history') versions.toggle();
      return;
    }
    if (playback.model) { if (e.key === 'Escape') playback.close(); return; } // playback takes no edits
    if (enterEditsText(services, e)) { e.preventDefault(); return; }
    const command = findShortcut(e);
    if (command === 'copy' || command === 'paste') return; // leave it to the browser's copy and paste events
    if (command) { e.preventDefault(); commands[command](e); return; }
    const toolShortcut = TOOLS.find(t => t.key === e.key.toLowerCase());
    if (toolShortcut && !e.ctrlKey && !e.metaKey) setTool(toolShortcut.name);
  });
  stageEl.addEventListener('keyup', e => viewport.keyUp(e));

  // Export the selection, or the whole canvas when nothing is selected; import adds a file's objects.
  const fileName = () => (root.querySelector('.title')!.textContent || 'canvas').replace(/[^\w.-]+/g, '-');
  root.querySelectorAll<HTMLButtonElement>('[data-export]').forEach(b => b.addEventListener('click', () => {
    const kind = b.dataset.export;
    renderer.buildAll(); // objects never in view have no node yet
    if (kind === 'png') {
      const url = toPng(content, selection, currentPalette().canvas);
      if (url) download(`${fileName()}.png`, url);
    } else if (kind === 'svg') {
      download(`${fileName()}.svg`, blobUrl(toSvg(content, selection, currentPalette().canvas), 'image/svg+xml'));
    } else {
      download(`${fileName()}.json`, blobUrl(toJson(shown()), 'application/json'));
    }
    root.querySelector<HTMLDetailsElement>('details.menu')!.open = false;
  }));
  root.querySelector<HTMLInputElement>('.import input')!.addEventListener('change', async e => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      paste(services, readCanvasFile(await file.text()), 0);
    } catch (error) {
      notify(error instanceof Error ? error.message : String(error));
    }
    (e.target as HTMLInputElement).value = '';
  });

  client.start();
  stageEl.focus();
}
