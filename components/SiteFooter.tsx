/** The quiet line at the bottom of pages. */
export function SiteFooter() {
  return (
    <footer class="site-footer">
      <p>
        Messages are end-to-end encrypted between the two devices and never stored. The server only
        introduces them.
      </p>
    </footer>
  );
}
