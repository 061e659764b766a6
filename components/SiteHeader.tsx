/** The brand bar at the top of every page; `children` go to its right-hand side. */
import type { ComponentChildren } from "preact";

export function SiteHeader({ children }: { children?: ComponentChildren }) {
  return (
    <header class="site-header">
      <a class="brand" href="/">
        <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
          <circle cx="16" cy="16" r="6" />
          <ellipse cx="16" cy="16" rx="14" ry="6.5" transform="rotate(-28 16 16)" />
        </svg>
        <span>ChatOrbit</span>
      </a>
      {children}
    </header>
  );
}
