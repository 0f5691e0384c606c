import { readFileSync } from 'node:fs';

/**
 * The local addresses on which something listens on TCP `port`, read from /proc/net (Linux), e.g.
 * `['127.0.0.1']`; `0.0.0.0` or `::` mean every interface. Lets a test prove a server it started
 * is reachable from loopback only.
 */
export function listeningAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const addresses: string[] = [];
  for (const [file, v6] of [
    ['/proc/net/tcp', false],
    ['/proc/net/tcp6', true],
  ] as const) {
    let table: string;
    try {
      table = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of table.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local?.endsWith(`:${hexPort}`) || state !== '0A') continue; // 0A = LISTEN
      addresses.push(decode(local.split(':')[0]!, v6));
    }
  }
  return addresses;
}

/** /proc/net hex addresses are little-endian 32-bit words. */
function decode(hex: string, v6: boolean): string {
  const bytes = (hex.match(/../g) ?? []).map((b) => parseInt(b, 16));
  const words: number[][] = [];
  for (let i = 0; i < bytes.length; i += 4) words.push(bytes.slice(i, i + 4).reverse());
  const flat = words.flat();
  if (!v6) return flat.join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((flat[i]! << 8) | flat[i + 1]!).toString(16));
  return groups.join(':');
}
