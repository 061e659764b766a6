/**
 * Every route and island, imported statically (no file scanning at run time, like Fresh's
 * generated manifest). manifest_test.ts checks that this list matches the files on disk.
 */
import * as app from "../routes/_app.tsx";
import * as notFound from "../routes/_404.tsx";
import * as index from "../routes/index.tsx";
import * as session from "../routes/session/[token].tsx";
import JoinForm from "../islands/JoinForm.tsx";
import MintForm from "../islands/MintForm.tsx";
import Room from "../islands/Room.tsx";
import { registerIsland } from "./islands.ts";

export const pages = {
  app,
  notFound,
  /** Keyed by path under routes/. */
  routes: {
    "index.tsx": index,
    "session/[token].tsx": session,
  },
  islands: { JoinForm, MintForm, Room },
};

for (const [name, component] of Object.entries(pages.islands)) registerIsland(name, component);

/** The URL pattern of a route file: "index.tsx" -> "/", "session/[token].tsx" -> "/session/:token". */
export function routePath(file: string): string {
  const path = file.replace(/\.tsx?$/, "").replace(/(^|\/)index$/, "").replace(
    /\[([A-Za-z_][A-Za-z0-9_]*)\]/g,
    ":$1",
  );
  return `/${path}`;
}
