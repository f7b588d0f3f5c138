// The REST API (see the server's OpenAPI document at /openapi/v1.json).
import type { Op, Role } from './sync/protocol';

export interface CanvasInfo { id: string; name: string; createdAt: string; updatedAt: string; role?: Role }
/** A starter canvas the dashboard offers (its objects stay on the server). */
export interface TemplateInfo { id: string; name: string; description: string }
export interface Me { id: string; name: string; email?: string; avatarUrl?: string }
export interface Member { userId: string; displayName: string; email?: string; avatarUrl?: string; role: Role }
/** Someone invited by email who has not come yet; it says nothing about whether they have an account. */
export interface Invitation { id: string; email: string; role: Role; createdAt: string }
export interface ShareLink { id: string; role: 'editor' | 'viewer'; createdAt: string; token?: string }
export interface AuthConfig {
  providers: { name: string; displayName: string }[];
  localAccounts: boolean;
  pendingLink: { provider: string; email?: string } | null;
}

/** An answer other than 2xx; `status` tells a caller to sign in (401) or that it may not (403, 404). */
export class ApiError extends Error {
  constructor(message: string, readonly status: number, readonly problem: Record<string, unknown> | null = null,
    readonly retryAfterSeconds: number | null = null) { super(message); }
}

export interface Viewport { x: number; y: number; width: number; height: number }
export interface AiResult {
  created: string[]; seq: number | null; undo: Op[]; remaining: number; interpreter: string; theme: string | null;
  /** "Made 3 cards; ignored 'animated'" */
  summary: string; ignored: string[];
  /** Set when the interpreter asked for did not answer: "Claude did not answer in 8 s; the built-in parser answered instead." */
  note: string | null;
}
export interface AiInfo { remaining: number; interpreter: string; components: string[]; themes: string[] }

/** Share links per canvas: requests about that canvas carry the token in a header (not the URL). */
const links = new Map<string, string>();
export function useShareLink(canvasId: string, token: string | undefined): void {
  if (token) links.set(canvasId, token);
}

/** The response of a request that succeeded; an {@link ApiError} otherwise. */
async function send(method: string, path: string, body?: unknown, accept?: string): Promise<Response> {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (accept) headers.accept = accept;
  const canvasId = /^\/api\/canvases\/([^/]+)/.exec(path)?.[1];
  const link = canvasId ? links.get(canvasId) : undefined;
  if (link) headers['x-share-link'] = link;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) {
    const problem = await response.json().catch(() => null) as { title?: string; detail?: string; errors?: Record<string, string[]> } | null;
    const detail = problem?.errors ? Object.values(problem.errors).flat().join(' ') : problem?.detail ?? problem?.title;
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new ApiError(detail || `${method} ${path}: ${response.status}`, response.status, problem as Record<string, unknown> | null,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
  }
  return response;
}

/** A JSON request of the REST API: the answer's body (none for 202 and 204); modules with endpoints of their own use it too. */
export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await send(method, path, body);
  return response.status === 204 || response.status === 202 ? (undefined as T) : (await response.json() as T);
}

/** A command Claude answered, waiting for its requester: accept it (one batch for everyone) or discard it. */
export interface AiPreview { command: string; objects: number; remaining: number; interpreter: string; summary: string; ignored: string[];
  note: string | null; expiresInSeconds: number }

/**
 * Runs a command. The built-in parser's answer is applied at once; Claude's streams as a preview: `onPreview` gets
 * the ops of each part as the model makes it (`reset`: drop the earlier ones first), and the answer is the preview.
 */
async function aiCommand(id: string, prompt: string, selection: string[], viewport: Viewport,
  onPreview: (ops: Op[], reset: boolean) => void): Promise<{ applied: AiResult } | { preview: AiPreview }> {
  const response = await send('POST', `/api/canvases/${id}/ai`, { prompt, selection, viewport }, 'application/x-ndjson, application/json');
  if (!response.headers.get('content-type')?.startsWith('application/x-ndjson')) return { applied: await response.json() as AiResult };
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += value;
    let end: number;
    while ((end = buffered.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffered.slice(0, end)) as { type: string } & Record<string, unknown>;
      buffered = buffered.slice(end + 1);
      if (line.type === 'preview') onPreview(line.ops as Op[], line.reset as boolean);
      else if (line.type === 'ready') return { preview: line as unknown as AiPreview };
      else if (line.type === 'failed') throw new ApiError(line.detail as string, line.status as number, line);
    }
  }
  throw new ApiError('The answer ended before the command did; try again.', 502);
}

export const api = {
  list: () => call<CanvasInfo[]>('GET', '/api/canvases'),
  get: (id: string) => call<CanvasInfo>('GET', `/api/canvases/${id}`),
  create: (name: string, template?: string) => call<CanvasInfo>('POST', '/api/canvases', { name, template }),
  templates: () => call<TemplateInfo[]>('GET', '/api/templates'),
  rename: (id: string, name: string) => call<CanvasInfo>('PATCH', `/api/canvases/${id}`, { name }),
  remove: (id: string) => call<void>('DELETE', `/api/canvases/${id}`),
  members: (id: string) => call<Member[]>('GET', `/api/canvases/${id}/members`),
  invite: (id: string, email: string, role: Role) => call<Invitation>('POST', `/api/canvases/${id}/members`, { email, role }),
  invitations: (id: string) => call<Invitation[]>('GET', `/api/canvases/${id}/invitations`),
  revokeInvitation: (id: string, invitationId: string) => call<void>('DELETE', `/api/canvases/${id}/invitations/${invitationId}`),
  setRole: (id: string, userId: string, role: Role) => call<Member[]>('PUT', `/api/canvases/${id}/members/${userId}`, { role }),
  removeMember: (id: string, userId: string) => call<void>('DELETE', `/api/canvases/${id}/members/${userId}`),
  links: (id: string) => call<ShareLink[]>('GET', `/api/canvases/${id}/links`),
  createLink: (id: string, role: 'editor' | 'viewer') => call<ShareLink>('POST', `/api/canvases/${id}/links`, { role }),
  revokeLink: (id: string, linkId: string) => call<void>('DELETE', `/api/canvases/${id}/links/${linkId}`),
  me: () => call<Me>('GET', '/api/me'),
  deleteAccount: () => call<void>('DELETE', '/api/me', { confirm: 'delete my account' }),
  /** A single-use ticket of this browser's sign-in: an open socket moves onto it (see SyncClient's renew). */
  wsTicket: () => call<{ value: string; expiresInSeconds: number }>('POST', '/api/ws-tickets'),
  ai: aiCommand,
  aiAccept: (id: string, command: string) => call<AiResult>('POST', `/api/canvases/${id}/ai/${command}/accept`),
  aiDiscard: (id: string, command: string) => call<void>('DELETE', `/api/canvases/${id}/ai/${command}`),
  aiInfo: () => call<AiInfo>('GET', '/api/ai'),
  features: () => call<Record<string, boolean>>('GET', '/api/features'),
  authConfig: () => call<AuthConfig>('GET', '/auth/config'),
  register: (email: string, password: string, name: string) => call<void>('POST', '/auth/local/register', { email, password, name }),
  login: (email: string, password: string) => call<void>('POST', '/auth/local/login', { email, password }),
  completeLink: (password: string) => call<void>('POST', '/auth/link', { password }),
};
