import assert from "node:assert/strict";
import { displayText, hasVisibleText } from "./text_rules.ts";

Deno.test("[chat] a message needs a visible character", () => {
  for (
    const invisible of [
      "",
      "   ",
      "\u200b\u200c\u200d",
      "\u2800\u3164",
      "\u202e\u2066",
      "\u0301\u0302",
      "\ufe0f\u00ad",
    ]
  ) {
    assert.equal(hasVisibleText(invisible), false, JSON.stringify(invisible));
  }
  for (const visible of ["a", "\u202e0001", "\u05e9\u05dc\u05d5\u05dd", "👍", "z\u0301"]) {
    assert.equal(hasVisibleText(visible), true, JSON.stringify(visible));
  }
});

Deno.test("[chat] direction controls are dropped before display", () => {
  assert.equal(displayText("\u202e0001"), "0001");
  assert.equal(displayText("pay \u2067IBAN\u2069 now\u202c"), "pay IBAN now");
  assert.equal(displayText("\u05e9\u05dc\u05d5\u05dd 12"), "\u05e9\u05dc\u05d5\u05dd 12");
});
