/**
 * What the server's render (render.ts) and the browser's boot (boot.ts) agree on: the id of the
 * element that holds the islands' serialized props.
 */
export const PROPS_ELEMENT_ID = "__island_props";
