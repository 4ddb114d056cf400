// Whether a loopback port can be listened on: s3rver reports a taken port as an unhandled 'error' event (a stack
// trace), so `serve` asks first and says so in one line.
import net from 'node:net';

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

/** The first of the ports that is taken, or undefined when all are free (0 always is). */
export async function firstTakenPort(ports: readonly number[]): Promise<number | undefined> {
  for (const port of ports) if (port !== 0 && !(await isPortFree(port))) return port;
  return undefined;
}
