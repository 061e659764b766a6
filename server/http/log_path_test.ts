import assert from "node:assert/strict";
import { loggablePath } from "./log_path.ts";

Deno.test("[log] a logged path keeps the route's words and hides every token", () => {
  const token = "Xq3v9c7yP0a1b2c3d4e5f6g7h8i9j0kLmNoPqRsTuVw";
  assert.equal(loggablePath(`/api/sessions/${token}/status`), "/api/sessions/:param/status");
  assert.equal(loggablePath(`/api/sessions/${token}`), "/api/sessions/:param");
  assert.equal(loggablePath(`/ws/sessions/${token}`), "/ws/sessions/:param");
  assert.equal(loggablePath(`/session/${token}?x=${token}`), "/session/:param");
  assert.equal(loggablePath("/api/tokens"), "/api/tokens");
  assert.equal(loggablePath("/"), "/");
});
