// A pg client on which every statement runs in a READ ONLY transaction, whatever the session settings
// or the pooler do: through a transaction-mode pooler (PgBouncer pool_mode=transaction, Supabase's port
// 6543) a startup option is refused or applied to one server connection only, and each transaction may
// run on another one, so only a per-transaction READ ONLY holds there. Used for the pg client and, as
// the pool's Client class, for every connection of Prisma's pool. A caller's own BEGIN is made read-only.
import pg from "pg";

const OPENS = new Set(["BEGIN", "START"]);
const CLOSES = new Set(["COMMIT", "END", "ROLLBACK", "ABORT"]);

type QueryCallback = (error: Error | null, result?: pg.QueryResult) => void;

export class ReadOnlyClient extends pg.Client {
  #inTransaction = false;

  // Both forms pg.Pool and Prisma's adapter use: promise (text | config, values) and callback.
  override query(...args: unknown[]): never {
    const callback = typeof args.at(-1) === "function" ? (args.pop() as QueryCallback) : undefined;
    const run = this.#readOnly(args[0], args[1]);
    if (!callback) return run as never;
    run.then((result) => callback(null, result), (error: Error) => callback(error));
    return undefined as never;
  }

  async #readOnly(config: unknown, values: unknown): Promise<pg.QueryResult> {
    const text = typeof config === "string" ? config : (config as { text?: string } | undefined)?.text ?? "";
    const word = /^\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase() ?? "";
    const send = (q: unknown, v?: unknown) => super.query(q as string, v as unknown[]) as Promise<pg.QueryResult>;
    if (OPENS.has(word) && !this.#inTransaction) {
      const result = await send(config, values);
      this.#inTransaction = true;
      await send("SET TRANSACTION READ ONLY");
      return result;
    }
    if (this.#inTransaction) {
      if (CLOSES.has(word)) this.#inTransaction = false;
      return send(config, values);
    }
    await send("BEGIN READ ONLY");
    try {
      const result = await send(config, values);
      await send("COMMIT");
      return result;
    } catch (error) {
      await send("ROLLBACK").catch(() => {});
      throw error;
    }
  }
}
