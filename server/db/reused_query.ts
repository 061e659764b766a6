/**
 * A query of one fixed shape, built and compiled by Kysely once per dialect (and per length of
 * each list argument) and afterwards run with new values only: building and compiling was about a
 * quarter of a mint's CPU. The builder must use each argument as a plain value (never to decide
 * the query's shape, never in arithmetic): it is first run with markers in their place, and the
 * compiled parameters are then filled from the arguments by those markers. Values the builder
 * writes in itself (a literal 1) stay as compiled.
 */
import { type Compilable, CompiledQuery, type QueryResult } from "kysely";
import { type Executor, isPostgres } from "./locks.ts";

type Arg = string | number | null | readonly (string | number)[];
/** Where a compiled parameter comes from: argument `[i]`, element `[i, j]` of a list, or as is. */
type Slot = readonly [number] | readonly [number, number] | { constant: unknown };

const MARK = "\u0000reused:";

export function reusedQuery<A extends Arg[], R>(
  build: (db: Executor, ...args: A) => Compilable<R>,
): (db: Executor, ...args: A) => Promise<QueryResult<R>> {
  const plans = new Map<string, { sql: string; slots: Slot[] }>();
  return (db, ...args) => {
    const key = (isPostgres(db) ? "pg" : "sqlite") +
      args.map((arg) => Array.isArray(arg) ? `[${arg.length}]` : "").join(",");
    let plan = plans.get(key);
    if (!plan) {
      plan = compile(db, build, args);
      plans.set(key, plan);
    }
    const parameters = plan.slots.map((slot) =>
      "constant" in slot
        ? slot.constant
        : slot.length === 1
        ? args[slot[0]]
        : (args[slot[0]] as readonly unknown[])[slot[1]]
    );
    return db.executeQuery(CompiledQuery.raw(plan.sql, parameters) as CompiledQuery<R>);
  };
}

function compile<A extends Arg[], R>(
  db: Executor,
  build: (db: Executor, ...args: A) => Compilable<R>,
  args: A,
): { sql: string; slots: Slot[] } {
  const marked = args.map((arg, i) =>
    Array.isArray(arg) ? arg.map((_, j) => `${MARK}${i}.${j}`) : `${MARK}${i}`
  ) as unknown as A;
  const compiled = build(db, ...marked).compile();
  const used = new Set<string>();
  const slots = compiled.parameters.map((parameter): Slot => {
    if (typeof parameter !== "string" || !parameter.startsWith(MARK)) {
      return { constant: parameter };
    }
    used.add(parameter);
    const [i, j] = parameter.slice(MARK.length).split(".").map(Number);
    return j === undefined ? [i] : [i, j];
  });
  const expected = marked.flat().length;
  if (used.size !== expected) {
    throw new Error(`reusedQuery: ${expected - used.size} argument(s) not used as plain values`);
  }
  return { sql: compiled.sql, slots };
}
