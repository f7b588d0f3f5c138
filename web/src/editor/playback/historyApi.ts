// The parts of the history API (docs/api.md, "History") that playback and per-object history read.
import { call } from '../../api';
import type { Objects, Op, PropValue } from '../../sync/protocol';
import type { VersionInfo } from '../versions/versionApi';

/** One batch of the log: its seq, when (null for batches older than the log's times), who, and its ops. */
export interface HistoryBatch { seq: number; at: string | null; actor: string; ops: Op[] }
/** An author: display name (null when the account is gone) and the colour of their cursor. */
export interface HistoryActor { id: string; name: string | null; color: string }
export interface BatchPage { batches: HistoryBatch[]; next: number | null; actors: HistoryActor[] }
export interface StateAtSeq { seq: number; exact: boolean; objects: Objects }

export interface PropChange { prop: string; before: PropValue | null; after: PropValue | null }
/** One batch that created, changed or deleted an object. */
export interface ObjectChange {
  seq: number; at: string | null; actor: string; actorName: string | null; kind: 'created' | 'changed' | 'deleted';
  changes: PropChange[]; version: VersionInfo | null;
}

const base = (canvasId: string) => `/api/canvases/${encodeURIComponent(canvasId)}`;

export const historyApi = {
  stateAt: (canvasId: string, seq: number) => call<StateAtSeq>('GET', `${base(canvasId)}/history/state?seq=${seq}`),
  batches: (canvasId: string, after: number, limit = 1000) =>
    call<BatchPage>('GET', `${base(canvasId)}/history/batches?after=${after}&limit=${limit}`),
  /** Newest first. */
  objectHistory: (canvasId: string, objectId: string) =>
    call<ObjectChange[]>('GET', `${base(canvasId)}/objects/${encodeURIComponent(objectId)}/history`),
};
