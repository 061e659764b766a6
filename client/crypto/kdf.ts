/**
 * HKDF-SHA-256 and SHA-256 through the primitives provider (primitives.ts): every key in the
 * module is derived through `P`, and every label comes from here.
 */
import { type Bytes, utf8 } from "./encoding.ts";
import { P } from "./primitives.ts";

export const sha256 = (data: Bytes): Promise<Bytes> => P.sha256(data);

/** Domain-separation labels, versioned so a future format change cannot collide with this one. */
export const label = (name: string): Bytes => utf8(`chatorbit/v1/${name}`);
