/**
 * Every route and island, imported statically (no file scanning at run time, like Fresh's
 * generated manifest). pages_manifest_test.ts checks that this list matches the files on disk.
 */
import * as app from "./routes/_app.tsx";
import * as notFound from "./routes/_404.tsx";
import * as index from "./routes/index.tsx";
import * as session from "./routes/session/[token].tsx";
import JoinForm from "./islands/JoinForm.tsx";
import MintForm from "./islands/MintForm.tsx";
import Room from "./islands/Room.tsx";
import type { PagesManifest } from "./framework/runtime.ts";

export const pages = {
  app,
  notFound,
  routes: {
    "index.tsx": index,
    "session/[token].tsx": session,
  },
  islands: { JoinForm, MintForm, Room },
} satisfies PagesManifest;
