// The REST API (see the server's OpenAPI document at /openapi/v1.json).
export interface CanvasInfo { id: string; name: string; createdAt: string; updatedAt: string }

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    const problem = await response.json().catch(() => null) as { title?: string; errors?: Record<string, string[]> } | null;
    const detail = problem?.errors ? Object.values(problem.errors).flat().join(' ') : problem?.title;
    throw new Error(detail || `${method} ${path}: ${response.status}`);
  }
  return response.status === 204 ? (undefined as T) : (await response.json() as T);
}

export const api = {
  list: () => call<CanvasInfo[]>('GET', '/api/canvases'),
  get: (id: string) => call<CanvasInfo>('GET', `/api/canvases/${id}`),
  create: (name: string) => call<CanvasInfo>('POST', '/api/canvases', { name }),
  rename: (id: string, name: string) => call<CanvasInfo>('PATCH', `/api/canvases/${id}`, { name }),
  remove: (id: string) => call<void>('DELETE', `/api/canvases/${id}`),
};
