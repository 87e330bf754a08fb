// An echo server on Node's `ws`, for the client interop tests.
//
// Usage: node ws-server.mjs <max-message-size> [subprotocol ...] (the server's, most preferred
// first). It listens on a free port of 127.0.0.1, accepts permessage-deflate (keeping its
// compression context, the library's default) and echoes every message with its type; on
// the path /bye it closes each connection at once with 1000 "bye". It stops when its standard
// input ends. One JSON line per check goes to stdout: peer, listening (the port), then per
// connection open, echo (one per message, with its SHA-256) and close (the code it received);
// or error, with exit code 1 (3 when `ws` is not installed).
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

const report = (line) => process.stdout.write(JSON.stringify(line) + '\n');

function fail(message, exitCode = 1) {
  report({ check: 'error', message });
  process.exitCode = exitCode;
}

let WebSocketServer;
let wsVersion;
try {
  ({ WebSocketServer } = await import('ws'));
  wsVersion = createRequire(import.meta.url)('ws/package.json').version;
} catch (e) {
  fail(`Node's ws is not installed in .ci/peers (${e.code ?? e.message}): run .ci/install`, 3);
  process.exit();
}

/** The server's most preferred subprotocol among those the client offered, or none. */
const pick = (preferred) => (offered) => preferred.find((p) => offered.has(p)) ?? false;

/** Resolves once standard input ends: the test's way of saying "stop". */
function stdinEnded() {
  return new Promise((resolve) => {
    process.stdin.on('end', resolve);
    process.stdin.on('error', resolve);
    process.stdin.resume();
  });
}

function serve(wss) {
  const closed = [];
  wss.on('connection', (ws, request) => {
    const path = request.url;
    report({
      check: 'open', path, subprotocol: ws.protocol, header: request.headers['x-interop'] ?? null,
      offered: request.headers['sec-websocket-extensions'] ?? null, extensions: ws.extensions,
    });
    closed.push(new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        report({ check: 'close', path, code, reason: reason.toString('utf8') });
        resolve();
      });
    }));
    ws.on('error', (e) => report({ check: 'error', message: `${path}: ${e.stack ?? e}` }));
    if (path === '/bye') {
      ws.close(1000, 'bye');
      return;
    }
    let index = 0;
    ws.on('message', (data, isBinary) => {
      report({
        check: 'echo', path, index: index++, type: isBinary ? 'binary' : 'text',
        length: data.length, sha256: createHash('sha256').update(data).digest('hex'),
      });
      ws.send(data, { binary: isBinary });
    });
  });
  return closed;
}

async function run(maxMessageSize, subprotocols) {
  report({ check: 'peer', name: 'ws', version: wsVersion, runtime: `node ${process.version}` });
  const wss = new WebSocketServer({
    host: '127.0.0.1', port: 0, maxPayload: maxMessageSize, handleProtocols: pick(subprotocols),
    perMessageDeflate: { threshold: 0 },
  });
  await new Promise((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const closed = serve(wss);
  report({ check: 'listening', port: wss.address().port });
  await stdinEnded();
  // Connections still open now get a short grace to finish their close handshake.
  const grace = new Promise((resolve) => setTimeout(resolve, 5000).unref());
  await Promise.race([Promise.all(closed), grace]);
  wss.clients.forEach((ws) => ws.terminate());
  await new Promise((resolve) => wss.close(resolve));
}

try {
  await run(Number(process.argv[2]), process.argv.slice(3));
} catch (e) {
  fail(e.stack ?? String(e));
}
