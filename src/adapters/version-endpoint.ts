import { InputError, OutsideError } from '../errors.js';

export interface VersionEndpointAnswer {
  body: string;
  contentType: string | undefined;
}

export interface FetchVersionOptions {
  /** The URL as it may be printed (no credentials, no query values). */
  shown: string;
  timeoutMs?: number;
  maxBytes?: number;
}

/** A version answer is a sha or a small JSON document; anything bigger is some other page. */
const MAX_BYTES = 64 * 1024;

/**
 * GETs a version endpoint (redirects followed, a deadline, the body capped). An endpoint that does not
 * answer, or answers other than 2xx, is an outside failure naming the URL and the status.
 */
export async function fetchVersionEndpoint(
  url: string,
  { shown, timeoutMs = 10_000, maxBytes = MAX_BYTES }: FetchVersionOptions,
): Promise<VersionEndpointAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      redirect: 'follow',
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json, text/plain;q=0.9, */*;q=0.1' },
    });
  } catch (error) {
    throw new OutsideError(
      `the version endpoint ${shown} did not answer (${whyNoAnswer(error, timeoutMs)})`,
      'check that the deployment is up and the URL is right (--commit-from URL or verification.version.url), or pass --commit <sha>',
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new OutsideError(
      `the version endpoint ${shown} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
      'check the URL and that the deployment is healthy, or pass --commit <sha>',
    );
  }
  const body = await cappedText(response, maxBytes, shown, timeoutMs);
  return { body, contentType: response.headers.get('content-type') ?? undefined };
}

async function cappedText(response: Response, maxBytes: number, shown: string, timeoutMs: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw new InputError(
          `the version endpoint ${shown} answered more than ${maxBytes / 1024} KiB: that is not a version answer`,
          'point --commit-from or verification.version.url at the endpoint that answers only the deployed sha (text or JSON)',
        );
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new OutsideError(
      `the version endpoint ${shown} stopped answering mid-body (${whyNoAnswer(error, timeoutMs)})`,
      'try again, or pass --commit <sha>',
    );
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** fetch's failures in a user's words: refused, timed out, unknown host, with the code when there is one. */
function whyNoAnswer(error: unknown, timeoutMs: number): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError')
    return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  const code = err.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'unknown host';
  return code ?? err.cause?.message ?? err.message ?? String(error);
}
