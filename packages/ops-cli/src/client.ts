/** A failed ops API call, with the API's stable error code. */
export class OpsApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`${status} ${code}: ${message}`);
    this.name = 'OpsApiError';
  }
}

/** A migration as the ops API returns it. */
export interface MigrationDetail {
  id: string;
  state: string;
  percent: number;
  sourceRegion: string;
  targetRegion: string;
  autoCommit: boolean;
  errorCode: string | null;
  errorMessage: string | null;
  progress: {
    phase?: string;
    rows?: { done: number; total: number };
    objects?: { done: number; total: number };
    bytes?: { done: number; total: number };
    /** Estimated seconds until the current phase is done. */
    etaSeconds?: number;
  };
  report: Record<string, unknown> | null;
  events: { fromState: string | null; toState: string; at: string }[];
}

/** Minimal HTTP client of the operator API (`/ops/v1`). */
export class OpsClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** A request to a path under `/ops/v1`. */
  request<T>(method: 'GET' | 'POST', path: string, body?: object): Promise<T> {
    return this.requestPath<T>(method, `/ops/v1${path}`, body);
  }

  /** A request to an absolute path of the router (e.g. `/ops/v1/deletions`). */
  async requestPath<T>(method: 'GET' | 'POST', path: string, body?: object): Promise<T> {
    const res = await fetch(`${this.baseUrl.replace(/\/+$/, '')}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!res.ok) throw new OpsApiError(res.status, json?.code ?? 'HTTP_ERROR', json?.message ?? text);
    return json as T;
  }

  listTenants(region?: string) {
    return this.request<{ items: Record<string, unknown>[] }>(
      'GET',
      `/tenants${region ? `?region=${region}` : ''}`,
    );
  }
  showTenant(clientKey: string) {
    return this.request<Record<string, unknown>>('GET', `/tenants/${encodeURIComponent(clientKey)}`);
  }
  startMigration(clientKey: string, targetRegion: string, autoCommit: boolean) {
    return this.request<MigrationDetail>('POST', '/migrations', { clientKey, targetRegion, autoCommit });
  }
  showMigration(id: string) {
    return this.request<MigrationDetail>('GET', `/migrations/${encodeURIComponent(id)}`);
  }
}
