// One HTTP exchange with the control plane, on Node's own http and https modules: a JSON body out, a
// JSON body back, one deadline for the whole exchange. The provider's dynamic-provider process loads this
// on every `pulumi up`, so it depends on nothing outside Node (axios and its ~100 modules cost 50 to 80 ms
// of start-up there; bench/README.md, "Issue 15, fifth pass"). Redirects are never followed, so the
// bearer key never goes to another host.
import * as http from "node:http";
import * as https from "node:https";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS";

export interface Exchange {
  method: Method;
  /** One endpoint, without a trailing slash. */
  baseURL: string;
  path: string;
  params?: Record<string, string | number | undefined>;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  data: unknown;
}

/**
 * A failed exchange: a reply outside 2xx (`reply` set), or no reply (`code` is the socket's, such as
 * ECONNREFUSED, or ETIMEDOUT for the deadline). It holds neither the request's headers nor its key.
 */
export class HttpFailure extends Error {
  readonly code?: string;
  readonly reply?: Reply;
  constructor(message: string, opts: { code?: string; reply?: Reply }) {
    super(message);
    this.name = "HttpFailure";
    this.code = opts.code;
    this.reply = opts.reply;
  }
}

// Keep-alive: a provider's calls reuse a few sockets instead of a handshake each.
const agents = { "http:": new http.Agent({ keepAlive: true }), "https:": new https.Agent({ keepAlive: true }) };

/** `?a=1&b=x%2Cy`, leaving out undefined values; "" when nothing is left. */
export function queryString(params: Exchange["params"]): string {
  if (!params) return "";
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) if (v !== undefined) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length > 0 ? `?${parts.join("&")}` : "";
}

function flatHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

/** JSON when it parses, else the text (a proxy's HTML page, say), else undefined for an empty body. */
function parseBody(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Sends one request; resolves with a 2xx reply, rejects with an HttpFailure (or an Error for a bad URL). */
export function exchange(x: Exchange): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(x.baseURL + x.path + queryString(x.params));
    } catch {
      reject(new Error(`invalid endpoint URL ${JSON.stringify(x.baseURL)}; use http://host:port or https://host`));
      return;
    }
    const agent = agents[url.protocol as keyof typeof agents];
    if (!agent) {
      reject(new Error(`unsupported protocol ${url.protocol} in ${x.baseURL}; use http:// or https://`));
      return;
    }
    const payload = x.body === undefined ? undefined : Buffer.from(JSON.stringify(x.body), "utf8");
    const headers: Record<string, string | number> = { ...x.headers };
    if (payload) {
      headers["Content-Type"] = "application/json";
      headers["Content-Length"] = payload.length;
    }
    const send = url.protocol === "https:" ? https.request : http.request;
    let settled = false;
    const fail = (e: HttpFailure) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(e);
    };
    const req = send(url, { method: x.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", (e: NodeJS.ErrnoException) => fail(new HttpFailure(e.message, { code: e.code ?? "ECONNRESET" })));
      res.on("end", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        const reply: Reply = { status, headers: flatHeaders(res.headers), data: parseBody(Buffer.concat(chunks).toString("utf8")) };
        if (status >= 200 && status < 300) resolve(reply);
        else reject(new HttpFailure(`HTTP ${status}`, { reply }));
      });
    });
    const timer = setTimeout(() => {
      fail(new HttpFailure(`timeout of ${x.timeoutMs}ms exceeded`, { code: "ETIMEDOUT" }));
      req.destroy();
    }, x.timeoutMs);
    req.on("error", (e: NodeJS.ErrnoException) => fail(new HttpFailure(e.message, { code: e.code })));
    req.end(payload);
  });
}
