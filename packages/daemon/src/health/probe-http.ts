import type { ProbeResult } from './probe-result.ts';

/**
 * GETs `url`; any 2xx or 3xx answer within `timeoutMs` passes. Redirects are not followed:
 * a 3xx already proves the server answers, and following could leave the app being checked.
 *
 * @example
 * const { ok, detail } = await probeHttp('http://127.0.0.1:8080/health', 2_000);
 */
export async function probeHttp(url: string, timeoutMs: number): Promise<ProbeResult> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual', headers: { 'user-agent': 'owl-health-check' } });
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      return { ok: false, detail: `no answer from ${url} within ${timeoutMs} ms` };
    }
    return { ok: false, detail: `cannot reach ${url}: ${describeFetchError(error)}` };
  }
  // The body is not needed; dropping it frees the connection.
  await response.body?.cancel().catch(() => undefined);
  const ok = response.status >= 200 && response.status < 400;
  return { ok, detail: ok ? `HTTP ${response.status} from ${url}` : `HTTP ${response.status} from ${url} (expected 2xx or 3xx)` };
}

// fetch() reports "fetch failed" and hides the useful part (ECONNREFUSED...) in its cause.
function describeFetchError(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as NodeJS.ErrnoException | undefined) : undefined;
  if (cause?.code) return cause.code;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
