// The versions part of the history API (docs/api.md, "History"): list, save, read, restore, duplicate.
import { call, type CanvasInfo } from '../../api';
import type { Objects, Op } from '../../sync/protocol';

/** A version as GET .../versions lists it: `named` (saved by `author`) or `auto` (after a burst of edits, no author). */
export interface VersionInfo {
  id: string; seq: number; kind: 'named' | 'auto'; name: string | null; author: string | null; authorName: string | null;
  createdAt: string; thumbnail: string | null;
}

/** A restore's batch (`seq` null: the canvas already was the version) and the ops that undo it. */
export interface RestoreResult { seq: number | null; undo: Op[] }

const base = (canvasId: string) => `/api/canvases/${canvasId}/versions`;

export const versionApi = {
  list: (canvasId: string) => call<VersionInfo[]>('GET', base(canvasId)),
  save: (canvasId: string, name: string) => call<VersionInfo>('POST', base(canvasId), { name }),
  state: (canvasId: string, versionId: string) => call<{ version: VersionInfo; objects: Objects }>('GET', `${base(canvasId)}/${versionId}`),
  restore: (canvasId: string, versionId: string) => call<RestoreResult>('POST', `${base(canvasId)}/${versionId}/restore`),
  duplicate: (canvasId: string, versionId: string) => call<CanvasInfo>('POST', `${base(canvasId)}/${versionId}/duplicate`, {}),
};
