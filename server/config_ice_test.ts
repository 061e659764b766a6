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

const SECRET = "a-long-enough-turn-secret";

Deno.test("[config] CHAT_TURN_URLS with CHAT_TURN_SECRET configure per-seat TURN", () => {
  const config = loadConfig({
    CHAT_TURN_URLS: "turn:turn.example.com:3478?transport=udp, turns:turn.example.com:5349",
    CHAT_TURN_SECRET: SECRET,
  });
  assert.deepEqual(config.turn, {
    urls: ["turn:turn.example.com:3478?transport=udp", "turns:turn.example.com:5349"],
    secret: SECRET,
  });
  // The page keeps the STUN default; TURN reaches a seat only over its socket.
  assert.deepEqual(config.iceServers, [{ urls: "stun:stun.l.google.com:19302" }]);
  assert.deepEqual(config.warnings, []);
  assert.equal(loadConfig({}).turn, null);
});

Deno.test("[config] CHAT_TURN_* wins over static TURN, keeping the STUN URLs", () => {
  const fromVars = loadConfig({
    CHAT_TURN_URLS: "turn:turn.example.com",
    CHAT_TURN_SECRET: SECRET,
    CHAT_WEBRTC_STUN_URLS: "stun:stun.example.com",
    CHAT_WEBRTC_TURN_URLS: "turn:static.example.com",
    CHAT_WEBRTC_TURN_USER: "u",
    CHAT_WEBRTC_TURN_PASSWORD: "p",
  });
  assert.deepEqual(fromVars.iceServers, [{ urls: "stun:stun.example.com" }]);
  assert.deepEqual(fromVars.turn?.urls, ["turn:turn.example.com"]);
  assert.equal(fromVars.warnings.length, 1);
  assert.match(fromVars.warnings[0], /Static TURN ignored/);

  const fromJson = loadConfig({
    CHAT_TURN_URLS: "turn:turn.example.com",
    CHAT_TURN_SECRET: SECRET,
    CHAT_WEBRTC_ICE_SERVERS: JSON.stringify([
      { urls: ["stun:ice.example.com", "turn:static.example.com"], username: "u", credential: "c" },
      { urls: "turns:static.example.com", username: "u", credential: "c" },
    ]),
  });
  assert.deepEqual(fromJson.iceServers, [{ urls: "stun:ice.example.com" }]);
  assert.ok(!JSON.stringify(fromJson.iceServers).includes("static"));
});

Deno.test("[config] CHAT_TURN_URLS and CHAT_TURN_SECRET go together, the secret never shown", () => {
  const refusals: [Record<string, string>, string][] = [
    [{ CHAT_TURN_URLS: "turn:turn.example.com" }, "CHAT_TURN_SECRET"],
    [{ CHAT_TURN_SECRET: "hunter2-hunter2-hunter2" }, "CHAT_TURN_URLS"],
    [{ CHAT_TURN_URLS: "stun:turn.example.com", CHAT_TURN_SECRET: SECRET }, "CHAT_TURN_URLS"],
    [{ CHAT_TURN_URLS: "https://turn.example.com", CHAT_TURN_SECRET: SECRET }, "CHAT_TURN_URLS"],
    [{ CHAT_TURN_URLS: "turn.example.com:3478", CHAT_TURN_SECRET: SECRET }, "CHAT_TURN_URLS"],
  ];
  for (const [env, variable] of refusals) {
    assert.throws(() => loadConfig(env), (error: Error) => {
      assert.match(error.message, new RegExp(`^${variable}=`), JSON.stringify(env));
      assert.ok(!error.message.includes("hunter2"), error.message);
      assert.ok(!error.message.includes(SECRET), error.message);
      return true;
    });
  }
});

Deno.test("[config] unroutable CHAT_TURN_URLS are dropped, and a short secret is warned of", () => {
  const config = loadConfig({
    CHAT_TURN_URLS: "turn:127.0.0.1:3478,turn:turn.example.com:3478",
    CHAT_TURN_SECRET: "k7Qz",
  });
  assert.deepEqual(config.turn?.urls, ["turn:turn.example.com:3478"]);
  assert.equal(config.warnings.length, 2);
  assert.ok(config.warnings.some((w) => w.includes("turn:127.0.0.1:3478")));
  assert.ok(config.warnings.some((w) => /CHAT_TURN_SECRET is shorter/.test(w)));
  assert.ok(!config.warnings.join().includes("k7Qz"));

  const none = loadConfig({ CHAT_TURN_URLS: "turn:localhost", CHAT_TURN_SECRET: SECRET });
  assert.equal(none.turn, null);
  assert.equal(none.warnings.length, 1);
});
