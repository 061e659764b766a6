/**
 * A freshly minted link: copy, share, scan, and "Start chat", which takes the host seat.
 *
 * The server renders it as static markup for a link minted without JavaScript (then the link can
 * be selected by hand and "Start chat" is a plain link); the MintForm island loads it on demand
 * for links minted in the browser (`interactive`), which keeps it off the landing page's first load.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { copyText } from "../client/copy_text.ts";
import { joinErrorMessage, joinSeat } from "../client/seat.ts";
import { formatMinutes } from "../client/mint_choices.ts";
import type { MintResult } from "../client/mint.ts";
import type { QrShape } from "../client/qr.ts";
import { sessionPath } from "../client/share_link.ts";
import { LocalTime } from "./LocalTime.tsx";
import { QrCode } from "./QrCode.tsx";

export interface ShareResultProps {
  result: MintResult;
  interactive: boolean;
  /** Back to the form (the browser-made case); a plain link to "/" otherwise. */
  onReset?(event: MouseEvent): void;
}

/** Loopback names: a link made on them opens only on this computer, not on a phone. */
const LOCAL_ONLY = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

export function ShareResult(props: ShareResultProps) {
  const { result, interactive } = props;
  const [qr, setQr] = useState<QrShape | null>(result.qr);
  const [status, setStatus] = useState("");
  const [canShare, setCanShare] = useState(false);
  const [localOnly, setLocalOnly] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const field = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // Web Share too exists only in secure contexts: no button where it would do nothing.
    setCanShare(typeof navigator.share === "function");
    setLocalOnly(LOCAL_ONLY.test(new URL(result.link).hostname));
    if (interactive) heading.current?.focus();
    // The encoder loads only now, so the landing page's first load stays light.
    if (!qr) import("../client/qr.ts").then((m) => setQr(m.qrShape(result.link)));
  }, [result.link]);

  const copy = async () =>
    setStatus(
      await copyText(result.link, field.current)
        ? "Link copied."
        : "This browser did not let the page copy: the link is selected, copy it with Ctrl+C " +
          "(⌘C on a Mac) or long-press and Copy.",
    );
  /** Takes the host seat in this tab, then opens the room, which finds the seat and connects. */
  async function start(event: MouseEvent) {
    event.preventDefault();
    const href = (event.currentTarget as HTMLAnchorElement).href;
    try {
      await joinSeat(result.token);
      location.assign(href);
    } catch (error) {
      setStatus(joinErrorMessage(error));
    }
  }

  const share = () =>
    navigator.share({ title: "A private chat for us", url: result.link }).catch(() => {});

  return (
    <div class="share-result">
      <h3 ref={heading} tabIndex={-1}>Your link is ready</h3>
      <p class="lead">
        Send it to the one person you want to talk to. Opening it takes no seat: the first device to
        press Join (or “Start chat” here) is the host, and the countdown starts when the second
        joins.
      </p>
      <label for="share-link">Share link</label>
      <input
        id="share-link"
        ref={field}
        class="link-field"
        readOnly
        value={result.link}
        onFocus={(event) => event.currentTarget.select()}
      />
      <div class="actions">
        {interactive && <button type="button" class="button" onClick={copy}>Copy link</button>}
        {interactive && canShare && (
          <button type="button" class="button" onClick={share}>Share…</button>
        )}
        <a
          class="button button-primary"
          href={`${sessionPath(result.token)}${
            result.hasSecret ? result.link.slice(result.link.indexOf("#")) : ""
          }`}
          onClick={interactive ? start : undefined}
        >
          Start chat
        </a>
      </div>
      <p class="status-line" role="status">{status}</p>
      {result.link.startsWith("/") && (
        <p class="notice">
          Put this site's address in front of the link, or copy the address of "Start chat".
        </p>
      )}
      {!result.hasSecret && (
        <p class="notice">
          This link was made without JavaScript, so it has no secret part and weaker protection:
          compare the safety code with the other person before sharing anything sensitive. With
          JavaScript on, links carry a secret that never reaches the server.
        </p>
      )}
      <div class="result-details">
        <dl class="facts">
          <dt>Token (the link's public part)</dt>
          <dd class="token">{result.token}</dd>
          <dt>Valid until</dt>
          <dd>
            <LocalTime iso={result.validityExpiresAt} />
          </dd>
          <dt>Session length</dt>
          <dd>{formatMinutes(result.sessionMinutes)}</dd>
          <dt>Characters per message</dt>
          <dd>{result.messageCharLimit}</dd>
        </dl>
        {(interactive || qr) && (
          <figure class="qr">
            {qr ? <QrCode shape={qr} label="QR code to scan" /> : <div class="qr-placeholder" />}
            <figcaption>Scan to open on a phone</figcaption>
          </figure>
        )}
      </div>
      {localOnly && (
        <p class="notice" id="local-only">
          This link points at this computer itself, so a phone cannot open it. Open ChatOrbit at the
          network address printed when the server started and make the link there.
        </p>
      )}
      <p>
        <a href="/" class="quiet-link" onClick={props.onReset}>Create another link</a>
      </p>
    </div>
  );
}
