import assert from "node:assert/strict";
import { ConfigError, loadConfig, parseList, parseSqlitePath } from "./config.ts";

Deno.test("[config] defaults match the contract's configuration table", () => {
  const config = loadConfig({});
  assert.equal(config.port, 8000);
  assert.equal(config.host, "0.0.0.0");
  assert.equal(config.databaseUrl, "sqlite:./data/chat_orbit.db");
  assert.equal(config.sqlitePath, "./data/chat_orbit.db");
  assert.equal(config.tokenRateLimitPerHour, 10);
  assert.equal(config.joinRateLimitPerMinute, 60);
  assert.equal(config.trustProxy, false);
  assert.deepEqual(config.corsAllowedOrigins, [], "same-origin only by default");
  assert.equal(config.corsAllowCredentials, true);
  assert.equal(config.tokenRateLimitGlobalPerMinute, 120);
  assert.equal(config.publicUrl, null);
  assert.deepEqual(config.iceServers, [{ urls: "stun:stun.l.google.com:19302" }]);
  assert.deepEqual(config.warnings, []);
});

Deno.test("[config] every variable is parsed", () => {
  const config = loadConfig({
    PORT: "9123",
    CHAT_HOST: "127.0.0.1",
    CHAT_DATABASE_URL: "sqlite:/var/lib/chat/db.sqlite",
    CHAT_TOKEN_RATE_LIMIT_PER_HOUR: "25",
    CHAT_JOIN_RATE_LIMIT_PER_MINUTE: "7",
    CHAT_TRUST_PROXY: "true",
    CHAT_CORS_ALLOWED_ORIGINS: "https://chat.example.com",
    CHAT_CORS_ALLOW_CREDENTIALS: "false",
    CHAT_WEBRTC_STUN_URLS: "stun:stun1.example.com:3478, stun:stun2.example.com:3478",
    CHAT_WEBRTC_TURN_URLS: "turn:turn.example.com:3478?transport=udp,turns:turn.example.com:5349",
    CHAT_WEBRTC_TURN_USER: "alice",
    CHAT_WEBRTC_TURN_PASSWORD: "s3cret",
  });
  assert.equal(config.port, 9123);
  assert.equal(config.host, "127.0.0.1");
  assert.equal(config.sqlitePath, "/var/lib/chat/db.sqlite");
  assert.equal(config.tokenRateLimitPerHour, 25);
  assert.equal(config.joinRateLimitPerMinute, 7);
  assert.equal(config.trustProxy, true);
  assert.deepEqual(config.corsAllowedOrigins, ["https://chat.example.com"]);
  assert.equal(config.corsAllowCredentials, false);
  assert.deepEqual(config.iceServers, [
    { urls: "stun:stun1.example.com:3478" },
    { urls: "stun:stun2.example.com:3478" },
    {
      urls: ["turn:turn.example.com:3478?transport=udp", "turns:turn.example.com:5349"],
      username: "alice",
      credential: "s3cret",
    },
  ]);
  assert.deepEqual(config.warnings, []);
});

Deno.test("[config] boolean variables accept the usual spellings", () => {
  for (const yes of ["1", "true", "TRUE", "yes", "on", " On "]) {
    assert.equal(loadConfig({ CHAT_TRUST_PROXY: yes }).trustProxy, true, yes);
  }
  for (const no of ["0", "false", "no", "off", ""]) {
    assert.equal(loadConfig({ CHAT_TRUST_PROXY: no }).trustProxy, false, no);
  }
});

/** One or more bad values for every variable; each must fail naming that variable. */
const BAD_VALUES: Record<string, string[]> = {
  PORT: ["abc", "70000", "-1", "80.5", "1e3x"],
  CHAT_HOST: ["bad host", "host/with/slash", "a;b"],
  CHAT_DATABASE_URL: [
    "postgres://user@/chat",
    "postgresql://db",
    "mysql://x",
    "./data/chat.db",
    "sqlite:",
  ],
  CHAT_TOKEN_RATE_LIMIT_PER_HOUR: ["0", "ten", "-5", "2.5"],
  CHAT_JOIN_RATE_LIMIT_PER_MINUTE: ["0", "sixty", "-1", "1.5"],
  CHAT_TRUST_PROXY: ["maybe", "10.0.0.1"],
  CHAT_CORS_ALLOWED_ORIGINS: [
    "not an origin",
    "[1, 2]",
    '["https://ok.example.com"',
    "https://a.example.com/path",
    "ftp://files.example.com",
    "[]",
  ],
  CHAT_CORS_ALLOW_CREDENTIALS: ["perhaps", "2"],
  CHAT_TOKEN_RATE_LIMIT_GLOBAL_PER_MINUTE: ["0", "many", "1.5"],
  CHAT_PUBLIC_URL: [
    "chat.example.org",
    "ftp://chat.example.org",
    "https://chat.example.org/chat",
    "https://chat.example.org/?a=1",
    "https://user:pw@chat.example.org",
    "https://chat.example.org/#x",
  ],
  CHAT_WEBRTC_ICE_SERVERS: [
    "not json",
    '{"urls":"stun:stun.example.com"}',
    '[{"url":"stun:stun.example.com"}]',
    "[42]",
    '[{"urls":[]}]',
    '["https://example.com"]',
  ],
  CHAT_WEBRTC_STUN_URLS: ["https://stun.example.com", "stun.example.com:3478"],
  CHAT_WEBRTC_TURN_URLS: ["https://turn.example.com", "turn.example.com:3478"],
};

for (const [variable, values] of Object.entries(BAD_VALUES)) {
  Deno.test(`[config] a bad ${variable} stops start-up with a message naming it`, () => {
    for (const value of values) {
      const env: Record<string, string> = { [variable]: value };
      if (variable === "CHAT_WEBRTC_TURN_URLS") {
        // A bad TURN URL must be reported even when the rest of the TURN settings are complete.
        Object.assign(env, { CHAT_WEBRTC_TURN_USER: "u", CHAT_WEBRTC_TURN_PASSWORD: "p" });
      }
      assert.throws(
        () => loadConfig(env),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError, `${variable}=${value}: ${error}`);
          assert.match(error.message, new RegExp(`\\b${variable}\\b`), `${variable}=${value}`);
          return true;
        },
        `${variable}=${value} should be refused`,
      );
    }
  });
}

Deno.test("[config] TURN user and password take any text, so only their absence is reported", () => {
  const config = loadConfig({
    CHAT_WEBRTC_TURN_URLS: "turn:turn.example.com:3478",
    CHAT_WEBRTC_TURN_USER: "ü s e r:@/",
    CHAT_WEBRTC_TURN_PASSWORD: "p:a=s,s",
  });
  assert.deepEqual(config.iceServers.at(-1), {
    urls: "turn:turn.example.com:3478",
    username: "ü s e r:@/",
    credential: "p:a=s,s",
  });
});

Deno.test("[config] sqlite URL forms: sqlite:PATH, sqlite:///PATH, sqlite:////ABS, memory", () => {
  assert.equal(parseSqlitePath("sqlite:./data/chat_orbit.db"), "./data/chat_orbit.db");
  assert.equal(parseSqlitePath("sqlite:data/chat.db"), "data/chat.db");
  assert.equal(parseSqlitePath("sqlite:/srv/chat.db"), "/srv/chat.db");
  // The original's default and SQLAlchemy's spellings.
  assert.equal(parseSqlitePath("sqlite:///./data/chat_orbit.db"), "./data/chat_orbit.db");
  assert.equal(parseSqlitePath("sqlite:///data/chat.db"), "data/chat.db");
  assert.equal(parseSqlitePath("sqlite:////srv/chat.db"), "/srv/chat.db");
  assert.equal(parseSqlitePath("sqlite::memory:"), ":memory:");
  assert.equal(parseSqlitePath("sqlite:///:memory:"), ":memory:");
  assert.equal(parseSqlitePath("postgres://db/chat"), null);
  assert.equal(parseSqlitePath("sqlite:"), null);
  assert.equal(loadConfig({ CHAT_DATABASE_URL: "sqlite::memory:" }).sqlitePath, ":memory:");
  assert.equal(
    loadConfig({ CHAT_DATABASE_URL: "sqlite:///./data/x.db" }).sqlitePath,
    "./data/x.db",
  );
});

Deno.test("[config] CORS origins: JSON list, comma list, single origin and *", () => {
  const origins = (raw: string) =>
    loadConfig({ CHAT_CORS_ALLOWED_ORIGINS: raw }).corsAllowedOrigins;
  assert.deepEqual(origins('["http://localhost:3000", "https://app.example.com"]'), [
    "http://localhost:3000",
    "https://app.example.com",
  ]);
  assert.deepEqual(origins("http://localhost:3000, https://app.example.com"), [
    "http://localhost:3000",
    "https://app.example.com",
  ]);
  assert.deepEqual(origins("https://app.example.com"), ["https://app.example.com"]);
  assert.deepEqual(origins("*"), ["*"]);
  assert.deepEqual(origins('["*"]'), ["*"]);
  assert.deepEqual(parseList(" a , ,b,"), ["a", "b"]);
});

Deno.test("[config] credentials are forced off whenever the origins include *", () => {
  const credentials = (env: Record<string, string>) => loadConfig(env).corsAllowCredentials;
  assert.equal(
    credentials({ CHAT_CORS_ALLOWED_ORIGINS: "*", CHAT_CORS_ALLOW_CREDENTIALS: "true" }),
    false,
  );
  assert.equal(
    credentials({ CHAT_CORS_ALLOWED_ORIGINS: '["https://a.example.com", "*"]' }),
    false,
  );
  assert.equal(credentials({ CHAT_CORS_ALLOWED_ORIGINS: "https://a.example.com" }), true);
  assert.equal(
    credentials({
      CHAT_CORS_ALLOWED_ORIGINS: "https://a.example.com",
      CHAT_CORS_ALLOW_CREDENTIALS: "false",
    }),
    false,
  );
});

Deno.test("[config] CHAT_PUBLIC_URL is kept as a bare origin", () => {
  assert.equal(
    loadConfig({ CHAT_PUBLIC_URL: "https://Chat.Example.org/" }).publicUrl,
    "https://chat.example.org",
  );
  assert.equal(
    loadConfig({ CHAT_PUBLIC_URL: "http://10.0.0.5:8000" }).publicUrl,
    "http://10.0.0.5:8000",
  );
});

Deno.test("[config] an error message never shows a password or ICE credential", () => {
  for (
    const [variable, value] of [
      ["CHAT_DATABASE_URL", "mysql://admin:hunter2@db/chat"],
      [
        "CHAT_WEBRTC_ICE_SERVERS",
        '[{"urls":"turn:t.example","username":"u","credential":"hunter2"}',
      ],
    ]
  ) {
    assert.throws(() => loadConfig({ [variable]: value }), (error: Error) => {
      assert.ok(error.message.includes(variable), error.message);
      assert.ok(!error.message.includes("hunter2"), error.message);
      return true;
    });
  }
});

Deno.test("[config] a postgres:// or postgresql:// URL selects PostgreSQL", () => {
  for (const url of ["postgres://user:pw@db:5432/chat", "postgresql://db/chat?sslmode=require"]) {
    const config = loadConfig({ CHAT_DATABASE_URL: url });
    assert.equal(config.databaseUrl, url);
    assert.equal(config.sqlitePath, "");
  }
});

Deno.test("[config] a bad PostgreSQL URL is refused without echoing its password", () => {
  assert.throws(
    () => loadConfig({ CHAT_DATABASE_URL: "postgres://chat:s3cret@/nodb" }),
    (error: Error) =>
      error.message.includes("CHAT_DATABASE_URL") && !error.message.includes("s3cret"),
  );
});

Deno.test("[config] file limits: defaults, bounds, and the relay's never above the direct one", () => {
  assert.deepEqual(loadConfig({}).files, { maxBytes: 100_000_000, relayMaxBytes: 5_000_000 });
  for (
    const [variable, value] of [
      ["CHAT_FILE_MAX_BYTES", "1000000001"],
      ["CHAT_RELAY_FILE_MAX_BYTES", "20000001"],
      ["CHAT_FILE_MAX_BYTES", "-1"],
      ["CHAT_FILE_MAX_BYTES", "lots"],
    ]
  ) {
    assert.throws(() => loadConfig({ [variable]: value }), (error: Error) => {
      assert.ok(error instanceof ConfigError && error.message.includes(variable), error.message);
      return true;
    });
  }
  const small = loadConfig({
    CHAT_FILE_MAX_BYTES: "1000000",
    CHAT_RELAY_FILE_MAX_BYTES: "9000000",
  });
  assert.deepEqual(small.files, { maxBytes: 1_000_000, relayMaxBytes: 1_000_000 });
});
