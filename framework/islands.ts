/**
 * Island boundaries in server-rendered HTML.
 *
 * Each island a page renders is wrapped in two comments, `<!--island:Name:3-->` and
 * `<!--/island:3-->`, and its props are kept (in render order) for the page's props block. The
 * browser runtime (boot.ts) finds the comments and hydrates what lies between them in place,
 * so islands add no wrapper element to the markup.
 *
 * Preact calls `options.vnode` for every element it creates; when the element's type is a
 * registered island and a page render is collecting, the element is swapped for a boundary.
 */
import { type ComponentType, Fragment, h, options, type VNode } from "preact";

type AnyComponent = ComponentType<Record<string, unknown>>;

const islandNames = new Map<unknown, string>();

/** Marks `component` as the island `name` (its file name in islands/). */
export function registerIsland(name: string, component: ComponentType<never>): void {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    throw new Error(`Island name ${name} must be PascalCase (rename islands/${name}.tsx).`);
  }
  islandNames.set(component, name);
}

export interface IslandUse {
  name: string;
  props: Record<string, unknown>;
}

/** What one page render collects. */
interface Collector {
  islands: IslandUse[];
}

let collector: Collector | null = null;
/** Set while a boundary creates the island element it wraps, so that one is left alone. */
let creatingInner = false;

/** A comment node in the rendered HTML (preact-render-to-string's comment form). */
function comment(text: string): VNode {
  return h(Fragment, { UNSTABLE_comment: text } as Record<string, unknown>);
}

function boundary(island: AnyComponent, name: string) {
  return function IslandBoundary(props: Record<string, unknown>): VNode {
    const current = collector;
    creatingInner = true;
    const inner = h(island, props);
    creatingInner = false;
    if (!current) return inner;
    const id = current.islands.push({ name, props }) - 1;
    return h(Fragment, null, comment(`island:${name}:${id}`), inner, comment(`/island:${id}`));
  };
}

const previousVnodeHook = options.vnode;
options.vnode = (vnode: VNode) => {
  if (!creatingInner && collector && typeof vnode.type === "function") {
    const name = islandNames.get(vnode.type);
    if (name) vnode.type = boundary(vnode.type as AnyComponent, name) as typeof vnode.type;
  }
  previousVnodeHook?.(vnode);
};

/**
 * Runs `render` (a synchronous renderToString call) while collecting the islands it renders.
 * Rendering is synchronous, so one module-level collector cannot mix two pages.
 */
export function collectIslands<T>(render: () => T): { result: T; islands: IslandUse[] } {
  const outer = collector;
  collector = { islands: [] };
  const mine = collector;
  try {
    return { result: render(), islands: mine.islands };
  } finally {
    collector = outer;
  }
}
