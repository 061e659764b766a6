/**
 * A component loaded only once it is needed (`when`), so it stays out of the island's first
 * load: the host's invitation, the call view. Null until it has arrived.
 */
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";

export function useLazy<P>(
  when: boolean,
  load: () => Promise<ComponentType<P>>,
): ComponentType<P> | null {
  const [loaded, setLoaded] = useState<{ component: ComponentType<P> } | null>(null);
  useEffect(() => {
    if (!when || loaded) return;
    let live = true;
    load().then((component) => live && setLoaded({ component }));
    return () => {
      live = false;
    };
  }, [when]);
  return loaded?.component ?? null;
}
