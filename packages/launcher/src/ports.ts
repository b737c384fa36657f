import { createServer } from 'node:net';

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** The preferred port when free, else one the system picks. */
export async function choosePort(preferred: number, host = '127.0.0.1'): Promise<number> {
  return (await isPortFree(preferred, host)) ? preferred : freePort(host);
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * A free port below the system's ephemeral range (32768 and up), for a test that starts servers some time after
 * choosing their ports: a port the system handed out once may be handed out again meanwhile, one of these is not.
 * `chosen`: ports already picked for the same test (free too, until their servers start), never returned.
 */
export async function freePortBelowEphemeralRange(chosen: Iterable<number> = [], host = '127.0.0.1'): Promise<number> {
  const taken = new Set(chosen);
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!taken.has(port) && (await isPortFree(port, host))) return port;
  }
  throw new Error('no free port between 20000 and 32000');
}
