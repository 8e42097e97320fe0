import { randomBytes, timingSafeEqual } from 'node:crypto';

/** The anti-CSRF cookie (double submit: an action sends its value again in the X-CSRF-Token header). */
export const CSRF_COOKIE = 'ntq_dashboard_csrf';
export const CSRF_HEADER = 'x-csrf-token';

type Headers = Record<string, string | string[] | undefined>;

/** The cookie's value in the request, if it has a well-formed one. */
export function csrfCookieOf(headers: Headers): string | undefined {
  const cookie = [headers.cookie ?? []].flat().join('; ');
  for (const part of cookie.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === CSRF_COOKIE) {
      const token = value.join('=');
      return /^[A-Za-z0-9_-]{16,128}$/.test(token) ? token : undefined;
    }
  }
  return undefined;
}

export function newCsrfToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The Set-Cookie value: HttpOnly (the page gets the token in its markup), SameSite=Strict, scoped to the dashboard. */
export function csrfSetCookie(token: string, path: string): string {
  return `${CSRF_COOKIE}=${token}; Path=${path}; HttpOnly; SameSite=Strict`;
}

/** Whether the header repeats the cookie (both present, equal). */
export function csrfMatches(headers: Headers): boolean {
  const cookie = csrfCookieOf(headers);
  const header = headers[CSRF_HEADER];
  if (cookie === undefined || typeof header !== 'string') return false;
  const [a, b] = [Buffer.from(cookie), Buffer.from(header)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether the request may come from another site: a browser says so in Sec-Fetch-Site, or sends an Origin whose
 * host is not the one asked. A script (no Origin, no Sec-Fetch-Site) is not a cross-site browser request.
 */
export function isCrossSite(headers: Headers): boolean {
  const site = headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return true;
  const origin = headers.origin;
  if (typeof origin !== 'string') return false;
  const host = [headers['x-forwarded-host'] ?? headers.host].flat()[0];
  try {
    return origin === 'null' || new URL(origin).host !== host;
  } catch {
    return true;
  }
}
