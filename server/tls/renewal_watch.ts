/**
 * While the server runs with `CHAT_TLS=auto`, checks the server certificate every hour against
 * the machine's current names and addresses (a laptop moving to another network gets a new
 * address) and against its expiry. A certificate that needs it is issued again into the data
 * folder at once; Deno's listener cannot swap certificates while running, so the log says to
 * restart, and the restart serves it.
 */
import type { Clock, TimerHandle } from "../clock.ts";
import { localTls } from "./local_authority.ts";
import { type MachineNames, machineNames } from "./machine_names.ts";

export const RENEWAL_CHECK_MS = 3_600_000;

export function watchRenewal(
  dir: string,
  clock: Clock,
  report: (line: string) => void,
  names: () => MachineNames = machineNames,
): () => void {
  let timer: TimerHandle | null = null;
  let stopped = false;
  const check = async () => {
    try {
      const { events } = await localTls(dir, names(), new Date(clock.now()));
      for (const event of events) report(`${event} Restart ChatOrbit to serve it.`);
    } catch (error) {
      report(`Could not check the server certificate: ${(error as Error).message}`);
    }
    if (!stopped) timer = clock.setTimeout(check, RENEWAL_CHECK_MS);
  };
  timer = clock.setTimeout(check, RENEWAL_CHECK_MS);
  return () => {
    stopped = true;
    if (timer !== null) clock.clearTimeout(timer);
  };
}
