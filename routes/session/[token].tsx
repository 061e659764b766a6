/** The session room. Loading it never takes a seat: the Join button inside does. */
import Room from "../../islands/Room.tsx";
import { type Handlers, Head, type PageProps } from "../../server/pages/runtime.ts";

interface RoomData {
  token: string;
}

export const handler: Handlers<RoomData> = {
  GET: (ctx) => ctx.render({ token: ctx.params.token }),
};

export default function SessionPage({ data }: PageProps<RoomData>) {
  return (
    <>
      <Head>
        <title>Private chat · ChatOrbit</title>
      </Head>
      <main id="main">
        <Room token={data.token} />
      </main>
    </>
  );
}
