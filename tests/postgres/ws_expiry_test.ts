// The same tests as ws_expiry_test.ts, on PostgreSQL (see tests/test_store.ts).
import { postgresSuite } from "../test_store.ts";
await postgresSuite(() => import("../ws_expiry_test.ts"));
