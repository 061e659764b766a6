/** Liveness and database health for load balancers and operators. */
import { Hono } from "hono";
import { isDatabaseBusy } from "../db/busy.ts";
import type { Db } from "../db/database.ts";
import { probeReadAndWrite } from "../db/health_repo.ts";
import { type Deps, VERSION } from "../deps.ts";

type DatabaseState = "ok" | "busy" | "unavailable";

async function databaseState(db: Db): Promise<DatabaseState> {
  try {
    await probeReadAndWrite(db);
    return "ok";
  } catch (error) {
    return isDatabaseBusy(error) ? "busy" : "unavailable";
  }
}

const DETAIL: Record<Exclude<DatabaseState, "ok">, string> = {
  busy: "The database is locked by another process: writes are refused until it lets go.",
  unavailable: "The database does not answer.",
};

export function healthApi(deps: Deps): Hono {
  return new Hono()
    .get("/", async (c) => {
      const state = await databaseState(deps.db);
      return c.json(
        {
          status: state === "ok" ? "ok" : "degraded",
          database: state === "ok" ? "ok" : state,
          version: VERSION,
        },
        200,
      );
    })
    .get("/database", async (c) => {
      const state = await databaseState(deps.db);
      return state === "ok"
        ? c.json({ status: "ok" }, 200)
        : c.json({ status: state, detail: DETAIL[state] }, 503);
    });
}
