// The client of one provider call, for its effective connection (its own, else stack config, else env).
import { createClient, type PeerlinkClient } from "../../contract";
import { resolveConnection } from "../config";
import { identify } from "../facts";
import type { ConnectionInputs } from "../types";
import { hasUnknown } from "../validation";

/** A client for the effective connection of one call (its sockets are the process's keep-alive pool). */
export function clientFor(connection: ConnectionInputs | undefined): PeerlinkClient {
  const conn = resolveConnection(connection && !hasUnknown(connection) ? connection : undefined);
  return identify(createClient(conn), conn.apiKey);
}
