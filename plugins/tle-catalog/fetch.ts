/**
 * Downloads GP data from a public source (CelesTrak's GP service by default). Plain HTTP GET
 * with Node's built-in fetch; a non-2xx status, a timeout or an empty body is an error that
 * names the URL. Nothing is fetched unless the operator enables it.
 */
export async function fetchText(url: string, timeoutMs: number, signal?: AbortSignal): Promise<string> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await fetch(url, { signal: combined, headers: { 'user-agent': 'scoop-ts tle-catalog', accept: 'text/plain, application/json, application/xml, text/csv' } });
  } catch (err) {
    const why = timeout.aborted ? `no answer within ${timeoutMs} ms` : (err as Error).message;
    throw new Error(`GET ${url}: ${why}`, { cause: err });
  }
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${res.statusText}`);
  const text = await res.text();
  if (text.trim() === '') throw new Error(`GET ${url}: empty body`);
  // CelesTrak answers a query that matches nothing with a 200 and this sentence.
  if (/^No GP data found/i.test(text.trim())) throw new Error(`GET ${url}: ${text.trim().slice(0, 120)}`);
  return text;
}
