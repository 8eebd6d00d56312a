import { BaseUrlNotAllowed } from './errors.js';

/**
 * Host suffixes of Atlassian cloud products. A tenant's `baseUrl` comes from an install payload,
 * so it is input: calling whatever it names would let a forged install point the back end at any
 * URL (SSRF: cloud metadata at 169.254.169.254, internal services…). Only these hosts are called.
 *
 * - `*.atlassian.net`: every Confluence/Jira cloud site. Sites with a custom domain keep their
 *   atlassian.net `baseUrl` for API requests; only `displayUrl` changes
 *   (https://community.developer.atlassian.com/t/rfc-28-custom-domains-support-for-jira/73766).
 * - `*.jira.com`: older cloud sites; `*.jira-dev.com` and `*.atlassian-dev.net`: Atlassian's
 *   development / staging sites used by app developers.
 * - `api.atlassian.com` (and staging `api.stg.atlassian.com`): the API gateway Forge apps call
 *   (`app.apiBaseUrl` of a Forge Invocation Token is `https://api.atlassian.com/ex/confluence/<cloudId>`).
 */
export const ATLASSIAN_HOST_SUFFIXES = ['.atlassian.net', '.jira.com', '.jira-dev.com', '.atlassian-dev.net'];
export const ATLASSIAN_API_GATEWAYS = ['api.atlassian.com', 'api.stg.atlassian.com'];

/** Options of {@link assertAllowedBaseUrl}. */
export interface AllowedHostsOptions {
  /**
   * Extra host names allowed over http or https, any port: local development and tests only
   * (`CONFLUENCE_ALLOWED_HOSTS=127.0.0.1,localhost`). Exact names, no wildcards.
   */
  extraHosts?: readonly string[];
}

/** Parses `CONFLUENCE_ALLOWED_HOSTS` (comma-separated host names) into a list. */
export function parseAllowedHosts(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
}

const isLabel = (label: string) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label);

/**
 * Throws {@link BaseUrlNotAllowed} unless `baseUrl` is an https URL of an Atlassian product host
 * (see {@link ATLASSIAN_HOST_SUFFIXES}) on the default port, without user info, query or
 * fragment — or a host listed in `extraHosts`. Returns the normalised URL (no trailing slash).
 * The router's `installed` hook calls this before storing a tenant; the Confluence client calls
 * it again before every request.
 */
export function assertAllowedBaseUrl(baseUrl: string, options: AllowedHostsOptions = {}): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new BaseUrlNotAllowed('not a URL');
  }
  // `https://x.atlassian.net@evil.com` parses as user "x.atlassian.net" at host evil.com.
  if (url.username || url.password) throw new BaseUrlNotAllowed('user info is not allowed');
  if (url.search || url.hash) throw new BaseUrlNotAllowed('query and fragment are not allowed');
  const host = url.hostname.toLowerCase();
  const extra = options.extraHosts ?? [];
  if (extra.includes(host)) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BaseUrlNotAllowed('http(s) only');
    return url.href.replace(/\/+$/, '');
  }
  if (url.protocol !== 'https:') throw new BaseUrlNotAllowed('https only');
  if (url.port !== '') throw new BaseUrlNotAllowed('non-default port');
  const labels = host.split('.');
  if (!labels.every(isLabel)) throw new BaseUrlNotAllowed('host is not a DNS name');
  const gateway = ATLASSIAN_API_GATEWAYS.includes(host);
  // A site is exactly one label in front of the suffix: `acme.atlassian.net`, never
  // `atlassian.net` itself nor `acme.atlassian.net.evil.com`.
  const site = ATLASSIAN_HOST_SUFFIXES.some(
    (suffix) =>
      host.endsWith(suffix) && host.length > suffix.length && !host.slice(0, -suffix.length).includes('.'),
  );
  if (!gateway && !site) throw new BaseUrlNotAllowed(`host ${host} is not an Atlassian product host`);
  return url.href.replace(/\/+$/, '');
}
