// The same tests as server/domain/session_rows_test.ts, on PostgreSQL (see tests/test_store.ts).
import { postgresSuite } from "../test_store.ts";
await postgresSuite(() => import("../../server/domain/session_rows_test.ts"));
