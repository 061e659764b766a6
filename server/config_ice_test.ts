import assert from "node:assert/strict";
import { loadConfig } from "./config.ts";

Deno.test("[config] CHAT_WEBRTC_ICE_SERVERS wins over the STUN and TURN variables", () => {
  const config = loadConfig({
    CHAT_WEBRTC_ICE_SERVERS: JSON.stringify([
      "stun:ice.example.com:3478",
      { urls: ["turn:ice.example.com:3478"], username: "u", credential: "c" },
    ]),
    CHAT_WEBRTC_STUN_URLS: "stun:ignored.example.com",
    CHAT_WEBRTC_TURN_URLS: "turn:ignored.example.com",
    CHAT_WEBRTC_TURN_USER: "x",
    CHAT_WEBRTC_TURN_PASSWORD: "y",
  });
  assert.deepEqual(config.iceServers, [
    { urls: "stun:ice.example.com:3478" },
    { urls: "turn:ice.example.com:3478", username: "u", credential: "c" },
  ]);
  assert.ok(!JSON.stringify(config.iceServers).includes("ignored"));
});

Deno.test("[config] unroutable ICE hosts are dropped with a warning each", () => {
  const unroutable = [
    "stun:0.0.0.0:3478",
    "stun:127.0.0.1:3478",
    "stun:localhost:3478",
    "stun:LOCALHOST",
    "stun:[::]:3478",
    "stun:[::1]:3478",
  ];
  const config = loadConfig({
    CHAT_WEBRTC_STUN_URLS: [...unroutable, "stun:stun.example.com:3478"].join(","),
  });
  assert.deepEqual(config.iceServers, [{ urls: "stun:stun.example.com:3478" }]);
  assert.equal(config.warnings.length, unroutable.length);
  for (const url of unroutable) {
    assert.ok(config.warnings.some((w) => w.includes(url)), `no warning for ${url}`);
  }

  const fromJson = loadConfig({
    CHAT_WEBRTC_ICE_SERVERS: JSON.stringify([
      {
        urls: ["turn:localhost:3478", "turn:turn.example.com:3478"],
        username: "u",
        credential: "p",
      },
      { urls: "stun:127.0.0.1" },
    ]),
  });
  assert.deepEqual(fromJson.iceServers, [
    { urls: "turn:turn.example.com:3478", username: "u", credential: "p" },
  ]);
  assert.equal(fromJson.warnings.length, 2);
});

Deno.test("[config] TURN is ignored with a warning unless URL, user and password are all set", () => {
  const partials: Record<string, string>[] = [
    { CHAT_WEBRTC_TURN_URLS: "turn:turn.example.com" },
    { CHAT_WEBRTC_TURN_USER: "u" },
    { CHAT_WEBRTC_TURN_PASSWORD: "p" },
    { CHAT_WEBRTC_TURN_URLS: "turn:turn.example.com", CHAT_WEBRTC_TURN_USER: "u" },
    { CHAT_WEBRTC_TURN_USER: "u", CHAT_WEBRTC_TURN_PASSWORD: "p" },
  ];
  for (const env of partials) {
    const config = loadConfig(env);
    assert.deepEqual(config.iceServers, [{ urls: "stun:stun.l.google.com:19302" }]);
    assert.equal(config.warnings.length, 1, JSON.stringify(env));
    assert.match(config.warnings[0], /TURN/);
  }
  const full = loadConfig({
    CHAT_WEBRTC_TURN_URLS: "turn:turn.example.com",
    CHAT_WEBRTC_TURN_USER: "u",
    CHAT_WEBRTC_TURN_PASSWORD: "p",
  });
  assert.equal(full.iceServers.length, 2);
  assert.deepEqual(full.warnings, []);
});

Deno.test("[config] an empty STUN list leaves no ICE servers", () => {
  assert.deepEqual(loadConfig({ CHAT_WEBRTC_STUN_URLS: "" }).iceServers, []);
});
