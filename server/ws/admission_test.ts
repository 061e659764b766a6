import assert from "node:assert/strict";
import { SocketAdmission } from "./admission.ts";

const LIMITS = { socketsPerAddress: 3, unauthenticatedPerAddress: 2, memoryLimitBytes: 1000 };

Deno.test("[admission] per-address caps on open and on unauthenticated sockets", () => {
  const admission = new SocketAdmission(LIMITS, () => 0);
  const a = admission.admit("a", () => {});
  const b = admission.admit("a", () => {});
  assert.equal(admission.admit("a", () => {}), "too_many_sockets", "two are pending already");
  assert.notEqual(admission.admit("b", () => {}), "too_many_sockets", "another address is apart");
  if (typeof a === "string" || typeof b === "string") throw new Error("admitted");
  a.authenticated();
  const c = admission.admit("a", () => {});
  assert.equal(typeof c, "object");
  assert.equal(admission.admit("a", () => {}), "too_many_sockets", "three open is the cap");
  a.release();
  a.release();
  assert.equal(admission.openSockets("a"), 2);
});

Deno.test("[admission] past the memory threshold new sockets are refused and pending ones shed", () => {
  let memory = 0;
  const admission = new SocketAdmission(LIMITS, () => memory);
  const shed: string[] = [];
  const pending = admission.admit("a", () => shed.push("pending"));
  const seated = admission.admit("b", () => shed.push("seated"));
  if (typeof pending === "string" || typeof seated === "string") throw new Error("admitted");
  seated.authenticated();
  memory = 2000;
  assert.equal(admission.admit("c", () => {}), "server_busy");
  assert.deepEqual(shed, ["pending"]);
});
