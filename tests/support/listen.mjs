import http from 'node:http';
import https from 'node:https';

// Binds `handler` on 127.0.0.1 and, where the machine has IPv6 loopback, on ::1 with the same
// port. Chromium resolves `localhost` to both addresses, so a second process owning ::1:PORT
// could otherwise answer requests meant for us. Port 0 picks a free port. `tls` ({ key, cert })
// serves https instead of http.
export async function listenLocalhost(handler, port = 0, tls = undefined) {
  const createServer = () => (tls ? https.createServer(tls, handler) : http.createServer(handler));
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const v4 = createServer();
    await listen(v4, port, '127.0.0.1');
    const chosen = v4.address().port;
    const servers = [v4];
    try {
      const v6 = createServer();
      await listen(v6, chosen, '::1');
      servers.push(v6);
    } catch (err) {
      if (err.code === 'EADDRINUSE') {
        await closeAll(servers);
        if (port !== 0) throw err;
        continue;
      }
      // No IPv6 loopback here: Chromium then only reaches 127.0.0.1.
    }
    return { port: chosen, close: () => closeAll(servers) };
  }
  throw new Error('no free port on both 127.0.0.1 and ::1');
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeAll(servers) {
  return Promise.all(servers.map((s) => new Promise((resolve) => {
    s.close(() => resolve());
    s.closeAllConnections();
  })));
}

/** For servers run as scripts: Ctrl-C or SIGTERM closes them and exits cleanly. */
export function closeOnSignal(close) {
  const stop = async () => {
    await close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
