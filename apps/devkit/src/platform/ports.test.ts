import { createServer, type Server } from 'node:net';
import { freePort, portHolder, takenBy } from './ports';

describe('portHolder', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('when a process listens on a port, then it is named by its pid and command line', async () => {
    const port = await freePort();
    server = createServer();
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    const holder = portHolder(port);
    expect(holder).toMatch(new RegExp(`^pid ${process.pid} \\(.*node`));
    expect(takenBy(port)).toBe(` by ${holder}`);
  });

  it('when nobody listens on a port, then there is no holder and no words about one', async () => {
    const port = await freePort();
    expect(portHolder(port)).toBeUndefined();
    expect(takenBy(port)).toBe('');
  });
});
