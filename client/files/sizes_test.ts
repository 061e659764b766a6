import assert from "node:assert/strict";
import { formatBytes } from "./sizes.ts";

Deno.test("[files] sizes read in decimal units, like the limits", () => {
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(999), "999 B");
  assert.equal(formatBytes(1500), "1.5 KB");
  assert.equal(formatBytes(5_000_000), "5.0 MB");
  assert.equal(formatBytes(100_000_000), "100 MB");
  assert.equal(formatBytes(2_500_000_000), "2.5 GB");
});
