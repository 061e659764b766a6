/** The landing page: create a link, or join with one. Its forms also work without JavaScript. */
import { SiteFooter } from "../components/SiteFooter.tsx";
import { ShareResult } from "../components/ShareResult.tsx";
import { SiteHeader } from "../components/SiteHeader.tsx";
import JoinForm, { type JoinFormProps } from "../islands/JoinForm.tsx";
import MintForm, { type MintFormProps } from "../islands/MintForm.tsx";
import {
  DEFAULT_MINT_VALUES,
  formText,
  joinTarget,
  mintFromForm,
  mintResult,
  mintValues,
  publicHref,
  readForm,
} from "../server/http/landing_forms.ts";
import { Head, type PageProps } from "../framework/runtime.ts";
import type { PageHandlers } from "../server/http/pages.ts";
import type { MintResult } from "../client/mint.ts";
import { mintedCookie, takeMinted } from "../server/http/minted_cookie.ts";

interface LandingData {
  mint: MintFormProps;
  /** A link minted by a form post (no JavaScript): shown as static markup. */
  result?: MintResult;
  join: JoinFormProps;
}

const initial = (): LandingData => ({
  mint: { values: DEFAULT_MINT_VALUES, errors: {} },
  join: { value: "", error: null },
});

export const handler: PageHandlers<LandingData> = {
  async GET(ctx) {
    // After a no-JavaScript mint's redirect: show its link once, then the plain page again.
    const minted = takeMinted(ctx.req);
    if (!minted) return ctx.render(initial());
    const view = await ctx.deps.sessions.view(minted.token).catch(() => null);
    // Shown once: not kept by any cache, so Back or a reload asks again and gets the plain page.
    const headers = { "set-cookie": minted.clear, "cache-control": "no-store" };
    if (!view) return ctx.render(initial(), { headers });
    return ctx.render({ ...initial(), result: mintResult(ctx.deps, view) }, { headers });
  },
  async POST(ctx) {
    // Capped while it streams: past 16 KiB this throws a 413, rendered by the pages' onError.
    const form = await readForm(ctx.req);
    if (form.get("intent") === "join") {
      const text = formText(form, "token");
      const target = joinTarget(text);
      if ("path" in target) {
        // Not Response.redirect(): its headers are immutable and the security headers are added later.
        // Relative unless CHAT_PUBLIC_URL is set: never built from the request's Host header.
        const location = publicHref(ctx.deps.config.publicUrl, target.path);
        return new Response(null, { status: 303, headers: { location } });
      }
      return ctx.render({ ...initial(), join: { value: text, error: target.error } }, {
        status: 422,
      });
    }
    const values = mintValues(form);
    const outcome = await mintFromForm(ctx.deps, values, ctx.clientAddress);
    if (outcome.ok) {
      // POST, redirect, GET: reloading the result page never mints another link.
      const location = publicHref(ctx.deps.config.publicUrl, "/");
      const cookie = mintedCookie(ctx.req, outcome.result.token);
      return new Response(null, { status: 303, headers: { location, "set-cookie": cookie } });
    }
    return ctx.render({ ...initial(), mint: { values, errors: outcome.errors } }, {
      status: outcome.status,
    });
  },
};

export default function Landing({ data }: PageProps<LandingData>) {
  return (
    <>
      <Head>
        <title>ChatOrbit · a private chat for two</title>
        <meta
          name="description"
          content="Create a link, send it to one person, talk end-to-end encrypted until the time is up."
        />
      </Head>
      <SiteHeader />
      <main id="main" class="landing">
        <section class="intro">
          <h1>A private conversation, then it is gone.</h1>
          <p>
            Create a link for one other person. Your two devices talk end-to-end encrypted, directly
            where they can, and the chat ends when the time you chose runs out.
          </p>
        </section>
        <div class="landing-grid">
          <section class="card card-mint" aria-labelledby="mint-title">
            <h2 id="mint-title">Start a chat</h2>
            {data.result
              ? <ShareResult result={data.result} interactive={false} />
              : <MintForm {...data.mint} />}
          </section>
          <div class="landing-side">
            <section class="card" aria-labelledby="join-title">
              <h2 id="join-title">Join a chat</h2>
              <JoinForm {...data.join} />
            </section>
            <section class="card card-quiet" aria-labelledby="how-title">
              <h2 id="how-title">How it works</h2>
              <ol class="steps">
                <li>Create a link and choose how long the chat may last.</li>
                <li>Send it to one person. The first two devices get the only two seats.</li>
                <li>Talk. Nothing is stored, and the chat closes for both when time is up.</li>
              </ol>
            </section>
          </div>
        </div>
      </main>
      <SiteFooter />
    </>
  );
}
