import type { Job, Principal } from './types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: string[] = [],
  ) {
    super(message);
  }
}

/** Same-origin JSON calls; the session travels in the httpOnly cookie. */
export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string; fields?: string[] };
  if (!response.ok) {
    throw new ApiError(response.status, body.code ?? 'HTTP_ERROR', body.message ?? response.statusText, body.fields);
  }
  return body as T;
}

export const query = (params: Record<string, string | number | boolean | undefined>) => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
};

export const me = () => api<Principal>('/api/me');
export const login = (email: string, password: string) =>
  api<{ principal: Principal }>('/api/auth/login', { method: 'POST', body: { email, password } });
export const logout = () => api<void>('/api/auth/logout', { method: 'POST' });
export const startJob = (path: string, body?: unknown) =>
  api<{ jobId: string; job: Job }>(path, { method: 'POST', body: body ?? {} });
