// The same tests as api_status_test.ts, on PostgreSQL (see tests/test_store.ts).
import { postgresSuite } from "../test_store.ts";
await postgresSuite(() => import("../api_status_test.ts"));
