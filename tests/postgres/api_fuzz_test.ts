// The same tests as api_fuzz_test.ts, on PostgreSQL (see tests/test_store.ts).
import { postgresSuite } from "../test_store.ts";
await postgresSuite(() => import("../api_fuzz_test.ts"));
