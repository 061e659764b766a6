/**
 * The chat through a real TURN server: Debian's coturn on loopback with `use-auth-secret`, the
 * server handing each seat its own credentials over the socket, and both browsers forced to
 * relay-only ICE, so the data channel can only open through coturn with those credentials.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { coturnInstalled, startCoturn } from "../coturn.ts";
import { withServer } from "../helpers.ts";
import {
  BROWSER_TEST,
  converse,
  ensureTestBuild,
  joinRoom,
  mintLink,
  record,
  remoteVideoPlays,
  waitForText,
  withBrowser,
} from "./fixtures.ts";

/**
 * Test-only: every RTCPeerConnection of the page gathers relay candidates only (whatever the
 * app asks for), and is kept where the test can read its configuration and statistics.
 */
function relayOnly() {
  // deno-lint-ignore no-explicit-any
  const w = globalThis as any;
  const Native = w.RTCPeerConnection as typeof RTCPeerConnection;
  const made: RTCPeerConnection[] = [];
  w.__peerConnections = made;
  w.RTCPeerConnection = class extends Native {
    constructor(config: RTCConfiguration = {}) {
      super({ ...config, iceTransportPolicy: "relay" });
      made.push(this);
    }
    override setConfiguration(config: RTCConfiguration = {}) {
      super.setConfiguration({ ...config, iceTransportPolicy: "relay" });
    }
  };
}

/** The newest link's ICE servers and the candidate types of its selected pair. */
function linkState(page: Page) {
  return page.evaluate(async () => {
    // deno-lint-ignore no-explicit-any
    const pc = ((globalThis as any).__peerConnections as RTCPeerConnection[]).at(-1)!;
    const stats = await pc.getStats();
    let local = "", remote = "";
    stats.forEach((report) => {
      if (report.type !== "transport" || !report.selectedCandidatePairId) return;
      const pair = stats.get(report.selectedCandidatePairId);
      local = stats.get(pair.localCandidateId)?.candidateType ?? "";
      remote = stats.get(pair.remoteCandidateId)?.candidateType ?? "";
    });
    return { iceServers: pc.getConfiguration().iceServers ?? [], local, remote };
  });
}

Deno.test({
  ...BROWSER_TEST,
  name:
    "[turn] with relay-only ICE, a chat and a video call go through coturn on per-seat credentials",
  ignore: !coturnInstalled,
  async fn() {
    await ensureTestBuild();
    await using coturn = await startCoturn(crypto.randomUUID());
    // Loopback is what config refuses from the environment (a peer elsewhere could not use it).
    await using server = await withServer({
      config: { turn: { urls: [coturn.url], secret: coturn.secret }, iceServers: [] },
    });
    await using browser = await withBrowser({
      args: ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"],
    });
    const link = await mintLink(server.url);
    const pages: Page[] = [];
    const frames: string[][] = [];
    for (let i = 0; i < 2; i++) {
      const context = await browser.context();
      await context.addInitScript(relayOnly);
      const page = await context.newPage();
      frames.push(record(page).frames);
      pages.push(page);
    }
    const [host, guest] = pages;
    await joinRoom(host, link);
    await joinRoom(guest, link);
    await converse(host, guest);
    try {
      await waitForText(host, "Direct", ".path");
      await waitForText(guest, "Direct", ".path");
    } catch (error) {
      throw new Error(`no relayed data channel: ${error}\ncoturn said:\n${coturn.log()}`);
    }

    const usernames: string[] = [];
    for (const page of pages) {
      const state = await linkState(page);
      assert.deepEqual([state.local, state.remote], ["relay", "relay"]);
      const turn = state.iceServers.find((s) => JSON.stringify(s.urls).includes(coturn.url));
      assert.ok(turn, JSON.stringify(state.iceServers));
      assert.match(turn.username ?? "", /^\d+:[A-Za-z0-9_-]+$/);
      usernames.push(turn.username!);
    }
    assert.notEqual(usernames[0], usernames[1], "each seat has credentials of its own");
    // The credentials came over the socket, and never in the page itself.
    for (const [index, page] of pages.entries()) {
      assert.ok(frames[index].some((frame) => frame.includes(usernames[index])));
      assert.ok(!(await page.content()).includes(coturn.url.split("?")[0].slice(5)));
    }

    // A video call over the same relayed link: its media can only go through coturn too.
    await host.getByRole("button", { name: "Video call", exact: true }).click();
    await guest.getByRole("button", { name: "Accept", exact: true }).click();
    for (const page of pages) {
      await remoteVideoPlays(page);
      const state = await linkState(page);
      assert.deepEqual([state.local, state.remote], ["relay", "relay"]);
    }
    await host.getByRole("button", { name: "Hang up", exact: true }).click();
    await guest.locator(".call").waitFor({ state: "detached" });
  },
});
