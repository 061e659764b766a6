/**
 * What route files use: the shapes of handlers, page props and the document shell, and `<Head>`.
 *
 * A route file exports a default page component and optionally `handler` (GET/POST functions that
 * load data and answer with `ctx.render(data)`, a redirect or any Response), as Fresh routes do.
 */
import type { ComponentChildren, ComponentType, VNode } from "preact";

export interface PageProps<Data = undefined> {
  data: Data;
  url: URL;
  params: Record<string, string>;
}

export interface RenderInit {
  status?: number;
  headers?: Record<string, string>;
}

interface BaseContext<Data> {
  req: Request;
  url: URL;
  params: Record<string, string>;
  render(data: Data, init?: RenderInit): Response;
  /** The 404 page with status 404. */
  renderNotFound(message?: string): Response;
}

/**
 * What a handler gets: the request, and whatever the app adds per request (`State`, made by the
 * `state` option of pagesApp), so the layer knows nothing of the app's services.
 */
export type RouteContext<Data = undefined, State extends object = Record<never, never>> =
  & BaseContext<Data>
  & State;

export type Handler<Data, State extends object = Record<never, never>> = (
  ctx: RouteContext<Data, State>,
) => Response | Promise<Response>;
export type Handlers<Data, State extends object = Record<never, never>> = Partial<
  Record<"GET" | "POST", Handler<Data, State>>
>;

// deno-lint-ignore no-explicit-any -- each route has its own data and state; the layer passes both through.
export interface RouteModule<Data = any, State extends object = any> {
  default: ComponentType<PageProps<Data>>;
  handler?: Handlers<Data, State>;
}

/** Every route and island of an app, imported statically (an app's pages_manifest.ts). */
export interface PagesManifest {
  app: { default: ComponentType<AppProps> };
  notFound: { default: ComponentType<NotFoundProps> };
  /** Keyed by path under routes/: "index.tsx", "session/[token].tsx". */
  routes: Record<string, RouteModule>;
  islands: Record<string, ComponentType<never>>;
}

/** What the error page shows for a thrown error (the app decides; the layer renders). */
export interface ErrorView {
  status: number;
  message: string;
  headers?: Record<string, string>;
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
