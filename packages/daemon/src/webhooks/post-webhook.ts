export type PostOutcome = { ok: true; status: number } | { ok: false; error: string };

export interface PostRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Aborts the attempt when the daemon shuts down. */
  signal: AbortSignal;
}

/** One delivery attempt: a 2xx answer within the timeout is success, anything else a failure. */
export async function postWebhook(request: PostRequest): Promise<PostOutcome> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      body: request.body,
      headers: request.headers,
      redirect: 'manual',
      signal: AbortSignal.any([request.signal, timeout]),
    });
    // Drain or drop the body so the connection is free for the next attempt.
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    return { ok: false, error: `HTTP ${response.status}` };
  } catch (error) {
    if (timeout.aborted) return { ok: false, error: `no answer within ${request.timeoutMs} ms` };
    return { ok: false, error: describeFetchError(error) };
  }
}

function describeFetchError(error: unknown): string {
  // fetch wraps the socket error (ECONNREFUSED, ...) in a TypeError("fetch failed").
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
