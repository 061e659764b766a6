/**
 * The crypto fallback stays off the room's initial JavaScript (a separate chunk fetched only
 * without Web Crypto), and the room stays within its 25 KB gzip budget.
 */
import assert from "node:assert/strict";
import { cryptoBench } from "../bench/crypto.ts";
import { pagesBench } from "../bench/pages.ts";

Deno.test("[lan] the fallback crypto is an on-demand chunk and the room stays within 25 KB", async () => {
  const pages = await pagesBench();
  assert.ok(pages.room_js_gzip_bytes <= 25_000, `room: ${pages.room_js_gzip_bytes} gzip bytes`);
  const crypto = await cryptoBench({ smoke: true });
  assert.equal(crypto.fallback_in_room_initial, 0);
  assert.ok(crypto.fallback_chunk_gzip_bytes > 0);
});
