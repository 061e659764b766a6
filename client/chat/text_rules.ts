/**
 * What a message's text may be and how it is shown, so that no message can pass for another:
 * it must have at least one visible character, and hidden direction controls are dropped before
 * display (each bubble takes its direction from its own letters, isolated from its neighbours).
 */

// Draws nothing on its own: white space, controls, format characters (bidi controls, zero-width
// joiners), combining marks with no base, default-ignorables (Hangul fillers, variation
// selectors) and the blank braille pattern.
const INVISIBLE = /[\s\p{Cc}\p{Cf}\p{M}\p{Default_Ignorable_Code_Point}\u2800]/gu;
// Embeddings, overrides and isolates: an override shows "0001" as "1000".
const DIRECTION_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g;

/** Whether `text` has a character a person can see. */
export const hasVisibleText = (text: string): boolean => text.replace(INVISIBLE, "") !== "";

/** The text as a bubble shows it: without direction controls. */
export const displayText = (text: string): string => text.replace(DIRECTION_CONTROLS, "");
