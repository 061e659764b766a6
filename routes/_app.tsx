/** The document shell around every page. */
import type { AppProps } from "../framework/runtime.ts";

export default function App({ Component, asset }: AppProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="theme-color" media="(prefers-color-scheme: light)" content="#f6f4ef" />
        <meta name="theme-color" media="(prefers-color-scheme: dark)" content="#16181d" />
        <link rel="stylesheet" href={asset("styles.css")} />
        <link rel="icon" href={asset("favicon.svg")} type="image/svg+xml" />
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to content</a>
        <Component />
      </body>
    </html>
  );
}
