// The same tests as ws_frames_test.ts, on PostgreSQL (see tests/test_store.ts).
import { postgresSuite } from "../test_store.ts";
await postgresSuite(() => import("../ws_frames_test.ts"));
