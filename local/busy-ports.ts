import { createServer } from 'node:net';

/** A port `npm start` listens on and the variable that moves it. */
export interface NamedPort {
  readonly variable: string;
  readonly port: number;
}

/**
 * The ports already taken on 127.0.0.1, checked before anything starts, so a second `npm start` (or
 * another emulator) gets one line naming the variable to set, not a raw EADDRINUSE stack.
 */
export async function busyPorts(ports: readonly NamedPort[]): Promise<NamedPort[]> {
  const busy: NamedPort[] = [];
  for (const named of ports) {
    if (named.port !== 0 && !(await isFree(named.port))) busy.push(named);
  }
  return busy;
}

export function describeBusyPorts(busy: readonly NamedPort[]): string {
  return busy.map(({ variable, port }) => `port ${port} is busy; set ${variable}=<a free port> (e.g. ${variable}=${port + 1})`).join('\n');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
