/**
 * Raw HTTP/1.1 over node's `net`: the request line is sent byte for byte, so a test can send spellings
 * (percent-encoding, doubled slashes, dot segments, absolute form) that clients would normalise.
 */
import * as net from "node:net";

export type RawResponse = { status: number; headers: Record<string, string>; text: string; json: any };

export type RawRequest = {
  method: string;
  /** the request target exactly as sent */
  target: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
};

function decodeChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let i = 0;
  for (;;) {
    const eol = body.indexOf("\r\n", i);
    if (eol < 0) break;
    const size = parseInt(body.subarray(i, eol).toString("latin1"), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** Parses one HTTP/1.1 response (the connection is closed by the server after it). */
export function parseResponse(raw: Buffer): RawResponse {
  const sep = raw.indexOf("\r\n\r\n");
  const head = raw
    .subarray(0, sep < 0 ? raw.length : sep)
    .toString("latin1")
    .split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? "")?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const c = line.indexOf(":");
    if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
  }
  let body = sep < 0 ? Buffer.alloc(0) : raw.subarray(sep + 4);
  if (/chunked/i.test(headers["transfer-encoding"] ?? "")) body = decodeChunked(body);
  else if (headers["content-length"] !== undefined) body = body.subarray(0, Number(headers["content-length"]));
  const text = body.toString("utf8");
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status, headers, text, json };
}

/**
 * Sends raw bytes and resolves with everything the server wrote until it closed the connection. The
 * client does not half-close: Node's HTTP server drops a request whose client sent FIN before the answer
 * was written, which happens whenever the handler awaits I/O (PostgreSQL). Requests say connection: close.
 */
export function sendBytes(url: string, bytes: Buffer | string, timeoutMs = 30_000): Promise<Buffer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sock = net.connect(Number(port), hostname, () => sock.write(bytes));
    sock.setTimeout(timeoutMs, () => sock.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    sock.on("data", (c) => chunks.push(c));
    sock.on("end", () => resolve(Buffer.concat(chunks)));
    sock.on("close", () => resolve(Buffer.concat(chunks)));
    sock.on("error", (e) => (chunks.length > 0 ? resolve(Buffer.concat(chunks)) : reject(e)));
  });
}

export async function rawRequest(url: string, r: RawRequest): Promise<RawResponse> {
  const host = new URL(url).host;
  const headers: Record<string, string> = { host, connection: "close", ...(r.headers ?? {}) };
  const body = r.body === undefined ? undefined : Buffer.from(r.body, "utf8");
  if (body !== undefined) {
    headers["content-type"] ??= "application/json";
    headers["content-length"] = String(body.length);
  }
  const head = `${r.method} ${r.target} HTTP/1.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\r\n")}\r\n\r\n`;
  const raw = await sendBytes(url, body ? Buffer.concat([Buffer.from(head, "latin1"), body]) : head, r.timeoutMs);
  return parseResponse(raw);
}
