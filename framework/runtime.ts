/**
 * What route files use: the shapes of handlers, page props and the document shell, and `<Head>`.
 *
 * A route file exports a default page component and optionally `handler` (GET/POST functions that
 * load data and answer with `ctx.render(data)`, a redirect or any Response), as Fresh routes do.
 */
import type { ComponentChildren, ComponentType, VNode } from "preact";
import type { Deps } from "../server/deps.ts";

export interface PageProps<Data = undefined> {
  data: Data;
  url: URL;
  params: Record<string, string>;
}

export interface RenderInit {
  status?: number;
  headers?: Record<string, string>;
}

export interface RouteContext<Data = undefined> {
  req: Request;
  url: URL;
  params: Record<string, string>;
  deps: Deps;
  /** The client's address (for rate limits), as the API determines it. */
  clientAddress: string;
  render(data: Data, init?: RenderInit): Response;
  /** The 404 page with status 404. */
  renderNotFound(message?: string): Response;
}

export type Handler<Data> = (ctx: RouteContext<Data>) => Response | Promise<Response>;
export type Handlers<Data> = Partial<Record<"GET" | "POST", Handler<Data>>>;

export interface RouteModule<Data = unknown> {
  default: ComponentType<PageProps<Data>>;
  handler?: Handlers<Data>;
}

export interface AppProps {
  Component: ComponentType;
  /** URL of a file from static/, content-hashed once built. */
  asset(name: string): string;
}

export interface NotFoundProps {
  message?: string;
  /** Heading for error pages that reuse the not-found layout. */
  title?: string;
}

let headParts: VNode[] | null = null;

/** Puts its children (title, meta) into the document head of the page being rendered. */
export function Head({ children }: { children: ComponentChildren }): null {
  headParts?.push(...([children].flat() as VNode[]));
  return null;
}

/** Runs a synchronous render while collecting `<Head>` children. */
export function collectHead<T>(render: () => T): { result: T; head: VNode[] } {
  const outer = headParts;
  const mine: VNode[] = [];
  headParts = mine;
  try {
    return { result: render(), head: mine };
  } finally {
    headParts = outer;
  }
}
