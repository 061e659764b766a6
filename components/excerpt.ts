/** A short one-line quote of a message, for button names and reply previews. */
import { displayText } from "../client/chat/text_rules.ts";

export function excerpt(text: string, length = 40): string {
  const flat = displayText(text).replace(/\s+/g, " ").trim();
  return [...flat].length > length ? `${[...flat].slice(0, length).join("")}…` : flat;
}
