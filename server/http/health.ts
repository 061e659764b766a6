/** Liveness and database health for load balancers and operators. */
import { Hono } from "hono";
import { sql } from "kysely";
import { type Deps, VERSION } from "../deps.ts";

export function healthApi(deps: Deps): Hono {
  const databaseOk = async () => {
    try {
      await sql`select 1`.execute(deps.db);
      return true;
    } catch {
      return false;
    }
  };
  return new Hono()
    .get("/", async (c) => {
      const ok = await databaseOk();
      return c.json(
        { status: ok ? "ok" : "degraded", database: ok ? "ok" : "unavailable", version: VERSION },
        200,
      );
    })
    .get(
      "/database",
      async (c) =>
        await databaseOk()
          ? c.json({ status: "ok" }, 200)
          : c.json({ status: "unavailable", detail: "The database does not answer." }, 503),
    );
}
