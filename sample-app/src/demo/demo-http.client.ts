export interface DemoCallOptions {
  /** The response fields worth printing; the others are elided. Default: all. */
  show?: string[];
  /** The status the demo expects when it is not a 2xx (a 404 for a deleted file). */
  expect?: number;
}

/** A tiny HTTP client for the demo: it calls the app the way you would with curl, and prints each call. */
export class DemoHttpClient {
  constructor(
    private readonly baseUrl: string,
    private readonly print: (line: string) => void,
  ) {}

  get<T = any>(path: string, options?: DemoCallOptions): Promise<T> {
    return this.call('GET', path, undefined, options);
  }

  post<T = any>(path: string, body?: unknown, options?: DemoCallOptions): Promise<T> {
    return this.call('POST', path, body === undefined ? undefined : JSON.stringify(body), options);
  }

  /** multipart/form-data with one file field, like `curl -F file=@name`. */
  upload<T = any>(path: string, name: string, content: string, options?: DemoCallOptions): Promise<T> {
    const form = new FormData();
    form.append('file', new Blob([content], { type: 'text/plain' }), name);
    return this.call('POST', path, form, options, `-F file=@${name}`);
  }

  private async call<T>(
    method: string,
    path: string,
    body: string | FormData | undefined,
    options: DemoCallOptions = {},
    shown?: string,
  ): Promise<T> {
    this.print(`$ ${method} ${path} ${shown ?? body ?? ''}`.trimEnd());
    const headers = typeof body === 'string' ? { 'content-type': 'application/json' } : undefined;
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const json = await response.json();
    this.print(`  ${response.status} ${summarize(json, options.show)}`);
    if (!response.ok && response.status !== options.expect)
      throw new Error(`${method} ${path} answered ${response.status}`);
    return json as T;
  }
}

/** The JSON, with objects cut down to the fields in `show` (and `…` where others were left out). */
function summarize(json: unknown, show: string[] | undefined): string {
  if (show === undefined) return JSON.stringify(json);
  if (Array.isArray(json)) return `[${json.map((item) => summarize(item, show)).join(',')}]`;
  if (typeof json !== 'object' || json === null) return JSON.stringify(json);
  const kept = show.filter((key) => key in json);
  const text = JSON.stringify(Object.fromEntries(kept.map((key) => [key, (json as Record<string, unknown>)[key]])));
  if (Object.keys(json).length === kept.length) return text;
  return kept.length === 0 ? '{…}' : `${text.slice(0, -1)},…}`;
}
