/**
 * The browser runtime of the island layer. The page's inline module imports this and the islands
 * it uses, then calls boot(): every `<!--island:Name:id-->` … `<!--/island:id-->` range in the
 * body is hydrated in place with the props the server serialized under the same id.
 */
import { type ComponentType, hydrate } from "preact";
// Not used here, but every island uses hooks: importing them here keeps preact, its hooks and the
// JSX runtime in one shared chunk (see signal_factory.ts) rather than three separately gzipped files.
import "preact/hooks";
import { jsx } from "preact/jsx-runtime";
import { deserialize, hasSignals, type SignalFactory } from "./deserialize.ts";
import { PROPS_ELEMENT_ID } from "./markers.ts";

const START = /^island:([A-Za-z0-9]+):(\d+)$/;

interface Range {
  name: string;
  id: number;
  start: Comment;
  end: Comment;
}

/** Top-level island ranges, in document order (an island inside another is hydrated by it). */
function findRanges(root: Node): Range[] {
  const ranges: Range[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_COMMENT);
  const open: { name: string; id: number; start: Comment }[] = [];
  for (let node = walker.nextNode() as Comment | null; node; node = walker.nextNode() as Comment) {
    const start = START.exec(node.data);
    if (start) {
      open.push({ name: start[1], id: Number(start[2]), start: node });
    } else if (open.length && node.data === `/island:${open[open.length - 1].id}`) {
      const range = open.pop()!;
      if (open.length === 0) ranges.push({ ...range, end: node });
    }
  }
  return ranges;
}

/**
 * A stand-in parent for Preact that covers only the nodes between two markers: Preact hydrates
 * "all children of a parent", so it is given a parent whose children are exactly the island's.
 */
function rangeRoot(start: Comment, end: Comment): Element {
  const parent = start.parentNode as Element;
  const children: Node[] = [];
  for (let node = start.nextSibling; node && node !== end; node = node.nextSibling) {
    children.push(node);
  }
  // Preact may pass a reference node past the end marker (it skips comments): keep inserts inside.
  const inside = (node: Node | null) =>
    node?.parentNode === parent && end.compareDocumentPosition(node!) & 2; // 2: node precedes end
  return {
    nodeType: 1,
    parentNode: parent,
    namespaceURI: parent.namespaceURI,
    firstChild: children[0] ?? null,
    childNodes: children,
    insertBefore: (node: Node, before: Node | null) =>
      parent.insertBefore(node, inside(before) ? before : end),
    appendChild: (node: Node) => parent.insertBefore(node, end),
    removeChild: (node: Node) => parent.removeChild(node),
  } as unknown as Element;
}

/** Hydrates every island on the page; `components` maps island names to their components. */
export async function boot(components: Record<string, ComponentType>): Promise<void> {
  const text = document.getElementById(PROPS_ELEMENT_ID)?.textContent ?? "[]";
  let signal: SignalFactory | undefined;
  if (hasSignals(text)) signal = (await import("./signal_factory.ts")).signal;
  const props = deserialize(text, signal) as Record<string, unknown>[];
  for (const range of findRanges(document.body)) {
    const component = components[range.name];
    // The page's own script imports every island it renders, so a miss is a build mismatch.
    if (component) hydrate(jsx(component, props[range.id]), rangeRoot(range.start, range.end));
  }
}
