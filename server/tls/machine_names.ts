/**
 * The names this machine answers to: what the automatic certificate covers and what start-up
 * prints. Loopback addresses are left out of the network list (another device cannot use them);
 * IPv6 link-local addresses too, since they need a zone id that no URL can carry.
 */
export interface MachineNames {
  /** localhost and the host name. */
  dns: string[];
  /** Every non-loopback address of the machine's interfaces. */
  addresses: string[];
}

function isUsableAddress(address: string): boolean {
  const lower = address.toLowerCase();
  return !lower.startsWith("127.") && lower !== "::1" && !lower.startsWith("fe80:");
}

export function networkAddresses(): string[] {
  let interfaces: Deno.NetworkInterfaceInfo[] = [];
  try {
    interfaces = Deno.networkInterfaces();
  } catch {
    // No --allow-sys: no addresses to offer, localhost still works.
  }
  return [...new Set(interfaces.map((i) => i.address).filter(isUsableAddress))].sort();
}

function hostName(): string | null {
  try {
    const name = Deno.hostname().trim().toLowerCase();
    return /^[a-z0-9.-]+$/.test(name) && name !== "localhost" ? name : null;
  } catch {
    return null;
  }
}

export function machineNames(): MachineNames {
  const host = hostName();
  return { dns: host ? ["localhost", host] : ["localhost"], addresses: networkAddresses() };
}

/** `address` as it goes in a URL's host (IPv6 in brackets). */
export const urlHost = (address: string) => address.includes(":") ? `[${address}]` : address;
