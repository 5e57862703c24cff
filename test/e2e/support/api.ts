// n8n's own HTTP API, as a user would drive it: the owner is set up headlessly through the internal REST
// API (recipe step 5), then everything else goes through the public API with an API key.

export interface Owner {
  email: string;
  password: string;
}

export const E2E_OWNER: Owner = { email: "owner@n8n-sync.test", password: "E2e-Sync-Passw0rd" };

export class N8nApiClient {
  constructor(
    readonly baseUrl: string,
    readonly apiKey: string,
  ) {}

  /** a public-API call (/api/v1/...); throws with the status and body unless 2xx */
  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/api/v1${path}`, {
      method,
      headers: { "X-N8N-API-KEY": this.apiKey, accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!response.ok) throw new ApiError(`${method} /api/v1${path} answered ${response.status}: ${text.slice(0, 500)}`, response.status);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** every page of a paginated list */
  async list<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    do {
      const separator = path.includes("?") ? "&" : "?";
      const page = await this.call<{ data: T[]; nextCursor?: string | null }>(
        "GET",
        `${path}${separator}limit=250${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      items.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return items;
  }
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Creates the instance owner, logs in and creates an API key with every scope the owner may grant. */
export async function setUpOwner(baseUrl: string, owner: Owner = E2E_OWNER): Promise<N8nApiClient> {
  await rest(baseUrl, "POST", "/rest/owner/setup", { email: owner.email, firstName: "E2E", lastName: "Owner", password: owner.password });
  const login = await rest(baseUrl, "POST", "/rest/login", { emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password });
  const cookie = login.headers
    .getSetCookie()
    .map((header) => header.split(";")[0])
    .join("; ");
  const scopes = await rest(baseUrl, "GET", "/rest/api-keys/scopes", undefined, cookie).then(async (response) => (await response.json()).data as string[]);
  const created = await rest(baseUrl, "POST", "/rest/api-keys", { label: "n8n-sync e2e", expiresAt: null, scopes }, cookie);
  const { data } = (await created.json()) as { data: { rawApiKey: string } };
  return new N8nApiClient(baseUrl, data.rawApiKey);
}

async function rest(baseUrl: string, method: string, path: string, body?: unknown, cookie?: string): Promise<Response> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { "content-type": "application/json", accept: "application/json", ...(cookie ? { cookie } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) throw new ApiError(`${method} ${path} answered ${response.status}: ${(await response.text()).slice(0, 500)}`, response.status);
  return response;
}
