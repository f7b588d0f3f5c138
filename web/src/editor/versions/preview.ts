// A version shown read-only on the canvas: its objects on a layer of their own, in place of the live canvas's layers,
// which are hidden but kept up to date (peers' changes go on arriving), so "Back to current" only shows them again.
// While it shows, the editor takes no edit (editor.ts asks `active`), and a banner says what is shown.
import Konva from 'konva';
import { CanvasModel } from '../../sync/model';
import type { Objects } from '../../sync/protocol';
import { currentPalette } from '../colors';
import { ContentLayer, Renderer } from '../renderer';
import { versionTitle, versionWhen } from './format';
import type { VersionInfo } from './versionApi';

/** What the banner's buttons do, and what may be offered. */
export interface PreviewActions {
  back(): void;
  restore(version: VersionInfo): void;
  duplicate(version: VersionInfo): void;
  /** Plays the canvas's history back from the version (the playback scrubber), when the editor has it. */
  playFrom?: (version: VersionInfo) => void;
  /** Whether this person may restore (editors and owners) and duplicate (signed in), asked each time a version shows. */
  mayRestore(): boolean;
  mayDuplicate(): boolean;
}

export class VersionPreview {
  /** The banner over the canvas while a version shows. */
  readonly banner = document.createElement('div');
  private readonly label = document.createElement('span');
  private readonly restoreButton = button('Restore this version', 'primary');
  private readonly duplicateButton = button('Duplicate as new canvas');
  private readonly playButton = button('Play from here');
  private layer: ContentLayer | null = null;
  private stopCulling: (() => void) | null = null;
  private shown: VersionInfo | null = null;

  /**
   * @param liveLayers the live canvas's layers (objects, selection, cursors): hidden while a version shows.
   * @param cullWithView draws the version as the live canvas is drawn (only what is in view, from a bitmap when big),
   * following the view until the returned function is called (Viewport.alsoCull).
   */
  constructor(private readonly stage: Konva.Stage, private readonly liveLayers: Konva.Layer[],
    private readonly cullWithView: (renderer: Renderer) => () => void, private readonly actions: PreviewActions) {
    this.banner.className = 'version-banner';
    this.banner.setAttribute('role', 'status');
    this.banner.hidden = true;
    const back = button('Back to current');
    back.title = 'Back to the live canvas (Esc)';
    back.addEventListener('click', () => actions.back());
    this.restoreButton.addEventListener('click', () => { if (this.shown) actions.restore(this.shown); });
    this.duplicateButton.addEventListener('click', () => { if (this.shown) actions.duplicate(this.shown); });
    this.playButton.hidden = !actions.playFrom;
    this.playButton.addEventListener('click', () => { if (this.shown) actions.playFrom?.(this.shown); });
    this.banner.append(this.label, this.restoreButton, this.duplicateButton, this.playButton, back);
    this.banner.addEventListener('keydown', e => { if (e.key === 'Escape') actions.back(); });
  }

  /** The version shown, or null while the live canvas shows. */
  get version(): VersionInfo | null { return this.shown; }

  /** Shows the version's objects instead of the live canvas (replacing another version's). */
  show(version: VersionInfo, objects: Objects): void {
    this.removeLayer();
    this.layer = new ContentLayer({ listening: false });
    this.stage.add(this.layer);
    const renderer = new Renderer(this.layer, currentPalette());
    renderer.update(CanvasModel.from(objects), 'all');
    this.stopCulling = this.cullWithView(renderer);
    for (const layer of this.liveLayers) layer.visible(false);
    this.shown = version;
    const when = versionWhen(version.createdAt, new Date());
    this.label.textContent = `Viewing version “${version.kind === 'named' ? versionTitle(version) : `${versionTitle(version)}, ${when}`}” — read only`;
    this.offerActions();
    this.banner.hidden = false;
  }

  /** Offers what this person may do with the version (asked again when their role changes). */
  offerActions(): void {
    this.restoreButton.hidden = !this.actions.mayRestore();
    this.duplicateButton.hidden = !this.actions.mayDuplicate();
  }

  /** Back to the live canvas as it is now. */
  hide(): void {
    this.removeLayer();
    this.shown = null;
    for (const layer of this.liveLayers) layer.visible(true);
    this.banner.hidden = true;
  }

  private removeLayer(): void {
    this.stopCulling?.();
    this.stopCulling = null;
    this.layer?.destroy();
    this.layer = null;
  }
}

function button(text: string, className?: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  if (className) b.className = className;
  return b;
}
