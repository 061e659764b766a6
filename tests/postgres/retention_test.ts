// The same tests as server/retention_test.ts, on PostgreSQL (see tests/test_store.ts).
import { postgresSuite } from "../test_store.ts";
await postgresSuite(() => import("../../server/retention_test.ts"));
