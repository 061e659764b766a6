/**
 * A message's text with its web links clickable (client/chat/links.ts). Links open in a new tab
 * with `noopener noreferrer`, so the linked site learns neither this page nor its address (which
 * carries the token), and nothing is fetched before a person clicks.
 */
import { linkParts } from "../client/chat/links.ts";
import { displayText } from "../client/chat/text_rules.ts";

export function MessageText({ text }: { text: string }) {
  return (
    <bdi class="message-text">
      {linkParts(displayText(text)).map((part, index) =>
        part.href
          ? (
            <a key={index} href={part.href} target="_blank" rel="noopener noreferrer">
              {part.text}
            </a>
          )
          : part.text
      )}
    </bdi>
  );
}
