/**
 * The host's invitation while the other seat is empty: the whole link (with its secret part, which
 * only this page's address holds), "Copy link", "Share…" where the browser can, and a QR code for
 * a phone next to this screen. It fills the empty conversation, so it goes once both are here.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { copyText } from "../client/copy_text.ts";
import type { QrShape } from "../client/qr.ts";
import { QrCode } from "./QrCode.tsx";

const COPY_REFUSED = "This browser did not let the page copy: the link is selected, copy it " +
  "with Ctrl+C (⌘C on a Mac) or long-press and Copy.";

export function InviteCard() {
  const [link, setLink] = useState("");
  const [qr, setQr] = useState<QrShape | null>(null);
  const [status, setStatus] = useState("");
  const field = useRef<HTMLInputElement>(null);
  const canShare = typeof navigator.share === "function";

  useEffect(() => {
    const here = location.href;
    setLink(here);
    // The encoder loads only now: a guest never needs it.
    import("../client/qr.ts").then((m) => setQr(m.qrShape(here)));
  }, []);

  const copy = async () =>
    setStatus(await copyText(link, field.current) ? "Link copied." : COPY_REFUSED);
  const share = () =>
    navigator.share({ title: "A private chat for us", url: link }).catch(() => {});

  return (
    <section class="invite" aria-labelledby="invite-title">
      <h2 id="invite-title">Invite the other person</h2>
      <p class="hint">
        Send them this link. The first other device to join takes the second seat, and the countdown
        starts then.
      </p>
      <label for="invite-link">Chat link</label>
      <input
        id="invite-link"
        ref={field}
        class="link-field"
        readOnly
        value={link}
        onFocus={(event) => event.currentTarget.select()}
      />
      <div class="actions">
        <button type="button" class="button button-primary" onClick={copy}>Copy link</button>
        {canShare && <button type="button" class="button" onClick={share}>Share…</button>}
      </div>
      <p class="status-line" role="status">{status}</p>
      {qr && (
        <figure class="qr">
          <QrCode shape={qr} label="QR code of the chat link" />
          <figcaption>Scan to open on a phone</figcaption>
        </figure>
      )}
    </section>
  );
}
