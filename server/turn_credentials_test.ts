import assert from "node:assert/strict";
import { turnIceServer, turnPassword } from "./turn_credentials.ts";

Deno.test("[turn] the password of a known username matches coturn's (known answer)", async () => {
  assert.equal(await turnPassword("north", "1767225600:seat-a"), "34jqHcHSR/FFDLipVguJILbcgLs=");
});

Deno.test("[turn] each issue has the expiry in seconds and a fresh opaque id", async () => {
  const turn = { urls: ["turn:turn.example.com:3478"], secret: "north" };
  const first = await turnIceServer(turn, 1_767_225_600_999);
  const second = await turnIceServer(turn, 1_767_225_600_999);
  assert.deepEqual(first.urls, turn.urls);
  const [expiry, id] = first.username!.split(":");
  assert.equal(expiry, "1767225600");
  assert.match(id, /^[A-Za-z0-9_-]{16}$/);
  assert.notEqual(first.username, second.username);
  assert.equal(first.credential, await turnPassword("north", first.username!));
});
