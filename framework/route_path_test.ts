import assert from "node:assert/strict";
import { routePath } from "./route_path.ts";

Deno.test("[pages] route files map to URL patterns", () => {
  assert.equal(routePath("index.tsx"), "/");
  assert.equal(routePath("session/[token].tsx"), "/session/:token");
  assert.equal(routePath("about/index.tsx"), "/about");
});
