/** The session room. Loading it never takes a seat: the Join button inside does. */
import { SiteFooter } from "../../components/SiteFooter.tsx";
import { SiteHeader } from "../../components/SiteHeader.tsx";
import Room, { type RoomProps } from "../../islands/Room.tsx";
import { addressKey } from "../../server/domain/address_key.ts";
import {
  attemptsExhausted,
  countFailedAttempt,
  tooManyAttempts,
} from "../../server/domain/failed_attempts.ts";
import { AppError } from "../../server/errors.ts";
import { Head, type PageProps } from "../../framework/runtime.ts";
import type { PageHandlers } from "../../server/http/pages.ts";

const NOT_FOUND = "No chat exists for this link. It may be mistyped, or it was never created.";

export const handler: PageHandlers<RoomProps> = {
  async GET(ctx) {
    const token = ctx.params.token;
    const { sessions, config, joinLimiter } = ctx.deps;
    // A 404 here would tell whether a token exists: failures count like failed status reads.
    const key = addressKey(ctx.clientAddress);
    const exhausted = await attemptsExhausted(joinLimiter, key);
    if (exhausted) throw tooManyAttempts(exhausted);
    const view = await sessions.view(token).catch((error) => {
      if (error instanceof AppError && error.status === 404) return null;
      throw error;
    });
    if (!view) {
      await countFailedAttempt(joinLimiter, key);
      return ctx.renderNotFound(NOT_FOUND);
    }
    return ctx.render({
      token,
      status: view.status,
      endReason: view.end_reason,
      sessionExpiresAt: view.session_expires_at,
      serverTime: view.server_time,
      ttlSeconds: view.session_ttl_seconds,
      charLimit: view.message_char_limit,
      files: config.files,
      iceServers: config.iceServers as RTCIceServer[],
    }, { headers: { "X-Robots-Tag": "noindex, nofollow" } });
  },
};

export default function SessionPage({ data }: PageProps<RoomProps>) {
  return (
    <>
      <Head>
        <title>Private chat · ChatOrbit</title>
        <meta name="robots" content="noindex, nofollow" />
      </Head>
      <SiteHeader />
      <main id="main">
        <Room {...data} />
        <noscript>
          <p class="notice">
            The chat room needs JavaScript: it keeps the encryption keys in this browser, where the
            server cannot see them. Turn JavaScript on and reload to join.
          </p>
        </noscript>
      </main>
      <SiteFooter />
    </>
  );
}
