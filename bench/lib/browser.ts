/**
 * A tiny cookie-keeping HTTP client for benchmarks: what a browser sends, no more.
 * Form posts carry the page's CSRF token when the page had one.
 */
export class Browser {
  private readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(readonly base: string) {}

  private cookieHeader(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  }

  private keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  async get(path: string): Promise<{ status: number; text: string }> {
    const res = await fetch(this.base + path, { headers: this.cookieHeader(), redirect: 'manual' });
    this.keep(res);
    const text = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (token) this.csrf = token;
    return { status: res.status, text };
  }

  async post(path: string, form: Record<string, string>): Promise<{ status: number; location: string }> {
    const body = new URLSearchParams({ ...(this.csrf && { _csrf: this.csrf }), ...form });
    const res = await fetch(this.base + path, {
      method: 'POST',
      headers: {
        ...this.cookieHeader(),
        'content-type': 'application/x-www-form-urlencoded',
        origin: this.base,
        'sec-fetch-site': 'same-origin',
      },
      body,
      redirect: 'manual',
    });
    this.keep(res);
    await res.arrayBuffer();
    return { status: res.status, location: res.headers.get('location') ?? '' };
  }

  async signIn(username: string, password: string): Promise<void> {
    await this.get('/login');
    const res = await this.post('/login', { username, password, next: '/' });
    if (res.status !== 303) throw new Error(`sign-in as ${username} answered ${res.status}`);
    await this.get('/');
  }
}

/** Times an async call in milliseconds. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}
