// An HTTP proxy on loopback in front of the S3 gateway that misbehaves on purpose: every so many requests it answers
// 503 SlowDown (as a throttling S3 does) or 500 InternalError instead of forwarding, and it can slow every request
// down. Headers go through unchanged (Host included), so the client's signatures still verify at the gateway.
import http from 'node:http';

/**
 * @param {string} target e.g. http://127.0.0.1:7480
 * @param {{ failEvery?: number, status?: 503 | 500, delayMs?: number, only?: string, serial?: string }} [options] `only`: fail only this method
 */
export function startFaultProxy(target, options = {}) {
  const to = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const stats = { requests: 0, faults: 0, dropped: 0 };
  // Requests sent on to the gateway and not answered yet: they may still change the bucket after their client died.
  let upstreamActive = 0;
  // With `serial` (a method), requests of that method go to the gateway one at a time, each after `delayMs`.
  let queue = Promise.resolve();
  const server = http.createServer((req, res) => {
    const n = ++stats.requests;
    const go = () => {
      if (options.failEvery && n % options.failEvery === 0 && (!options.only || options.only === req.method)) {
        stats.faults++;
        const status = options.status ?? 503;
        const code = status === 503 ? 'SlowDown' : 'InternalError';
        req.resume();
        req.on('end', () => {
          res.writeHead(status, { 'content-type': 'application/xml' });
          res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>injected by the test proxy</Message></Error>`);
        });
        return;
      }
      // A client that died while its request waited here (SIGKILL) never reaches the gateway, as on a real network.
      if (req.socket.destroyed) {
        stats.dropped++;
        return;
      }
      upstreamActive++;
      let counted = true;
      const finished = () => {
        if (counted) upstreamActive--;
        counted = false;
      };
      const upstream = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
        // The gateway answers once it has done the work: from here the request changes nothing more.
        finished();
        res.on('close', () => answer.resume());
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => {
        finished();
        res.destroy();
      });
      req.pipe(upstream);
    };
    if (options.serial && options.serial === req.method) {
      queue = queue.then(
        () =>
          new Promise((done) => {
            setTimeout(() => {
              go();
              res.on('close', done);
              if (res.writableEnded || req.socket.destroyed) done();
            }, options.delayMs ?? 0);
          }),
      );
    } else if (options.delayMs && !options.serial) setTimeout(go, options.delayMs);
    else go();
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        endpoint: `http://127.0.0.1:${port}`,
        stats,
        set(next) {
          Object.assign(options, next);
        },
        /** Resolves once nothing is queued here and the gateway has answered everything sent on to it. */
        async idle() {
          for (;;) {
            await queue;
            if (upstreamActive === 0) return;
            await new Promise((r) => setTimeout(r, 50));
          }
        },
        stop: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
            agent.destroy();
          }),
      });
    });
  });
}
