/** The not-found page (also the layout of other error pages). It ships no JavaScript. */
import { SiteFooter } from "../components/SiteFooter.tsx";
import { SiteHeader } from "../components/SiteHeader.tsx";
import { Head, type NotFoundProps } from "../framework/runtime.ts";

export default function NotFound({ message, title = "Nothing here" }: NotFoundProps) {
  return (
    <>
      <Head>
        <title>{`${title} · ChatOrbit`}</title>
      </Head>
      <SiteHeader />
      <main id="main" class="page-narrow">
        <section class="card notice-card">
          <h1>{title}</h1>
          <p>{message ?? "This page does not exist. The link may be mistyped or out of date."}</p>
          <p>
            <a class="button button-primary" href="/">Create a new chat link</a>
          </p>
        </section>
      </main>
      <SiteFooter />
    </>
  );
}
