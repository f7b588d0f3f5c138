// Protocol v1 as the browser sees it (docs/protocol.md is the full text).

export type ObjectType = 'rect' | 'ellipse' | 'line' | 'arrow' | 'text' | 'frame' | 'path';
/** Where a connector's end is held: an object and a point of its box as fractions of its width and height. */
export interface Binding { id: string; x: number; y: number }
export type PropValue = number | string | boolean | number[] | Binding;
/** An object in its wire form: `type`, `parentId` and every other prop side by side. */
export type CanvasObject = { type: ObjectType } & Record<string, PropValue>;
export type Objects = Record<string, CanvasObject>;

export type PutOp = { op: 'put'; id: string; props: Record<string, PropValue | null> };
export type DeleteOp = { op: 'delete'; id: string };
export type Op = PutOp | DeleteOp;

export interface User { id: string; name: string; color: string }
/** A viewer's ops are refused; the editor does not offer to change anything. */
export type Role = 'owner' | 'editor' | 'viewer';
export interface Cursor { x: number; y: number }
/** The part of the canvas a view shows, in canvas units: what someone following this session sees. */
export interface Viewport { x: number; y: number; width: number; height: number }
export interface Peer { session: string; user: User; cursor: Cursor | null; selection: string[]; viewport: Viewport | null }
export interface LoggedBatch { seq: number; actor: string; client: string; ref: string; ops: Op[] }

export type ServerMessage =
  | { type: 'welcome'; session: string; user: User; role: Role; seq: number; objects?: Objects; replay?: LoggedBatch[]; peers: Peer[] }
  | { type: 'role'; role: Role }
  /** The canvas was renamed, by anyone on any instance. */
  | { type: 'canvas'; name: string }
  /** After welcome and in answer to auth: the credentials the socket rests on last this long; it closes with 4401 then. */
  | { type: 'auth'; expiresInSeconds: number }
  | { type: 'ack'; ref: string; seq: number }
  | { type: 'ops'; seq: number; actor: string; ops: Op[] }
  | { type: 'presence'; session: string; cursor: Cursor | null; selection: string[]; viewport: Viewport | null }
  | { type: 'join'; peer: Peer }
  | { type: 'leave'; session: string }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string; ref?: string };

export type ClientMessage =
  | { type: 'hello'; since?: number; client: string; link?: string; name?: string }
  | { type: 'ops'; ref: string; ops: Op[] }
  | { type: 'presence'; cursor: Cursor | null; selection: string[]; viewport: Viewport | null }
  | ({ type: 'auth' } & Renewal)
  | { type: 'ping' };

/** Fresh credentials for an open socket, of the same account: a ticket (a browser, through its cookie) or a bearer access token. */
export type Renewal = { ticket: string } | { token: string };

/** Close codes after which reconnecting cannot help: bad hello, signed out, no access, no canvas, canvas deleted. */
export const FATAL_CLOSE_CODES = new Set([4400, 4401, 4403, 4404, 4410]);
