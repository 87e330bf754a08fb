// Drives a WebSocket server with Node's `ws` client, for the interop tests.
//
// Usage: node ws-client.mjs <ws-url> < plan.json
// The plan (see EchoPlan.java) lists the subprotocols to offer, the messages to send and the
// close to start. Each message is sent once its predecessor's echo came back. One JSON line per
// check goes to stdout: peer, open, echo (one per message), close; or error, with exit code 1
// (3 when `ws` is not installed).
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

const report = (line) => process.stdout.write(JSON.stringify(line) + '\n');

function fail(message, exitCode = 1) {
  report({ check: 'error', message });
  process.exitCode = exitCode;
}

let WebSocket;
let wsVersion;
try {
  ({ default: WebSocket } = await import('ws'));
  wsVersion = createRequire(import.meta.url)('ws/package.json').version;
} catch (e) {
  fail(`Node's ws is not installed in .ci/peers (${e.code ?? e.message}): run .ci/install`, 3);
  process.exit();
}

/** A binary payload both sides can rebuild: SHA-256(seed ":" k) for blocks k = 0, 1, ... */
function generated(seed, size) {
  const out = Buffer.alloc(size);
  for (let k = 0, at = 0; at < size; k++, at += 32) {
    createHash('sha256').update(`${seed}:${k}`, 'utf8').digest().copy(out, at);
  }
  return out;
}

function payloadOf(message) {
  if (message.type === 'text') {
    return message.text.repeat(message.repeat ?? 1);
  }
  return generated(message.seed, message.size);
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function run(url, plan) {
  report({ check: 'peer', name: 'ws', version: wsVersion, runtime: `node ${process.version}` });
  const ws = new WebSocket(url, plan.subprotocols, {
    maxPayload: plan.maxMessageSize,
    handshakeTimeout: 10_000,
  });
  // Messages and the close, in arrival order; `next` waits for the next one.
  const inbox = [];
  let wake = () => {};
  const arrive = (event) => {
    inbox.push(event);
    wake();
  };
  const next = async () => {
    while (inbox.length === 0) {
      await new Promise((resolve) => { wake = resolve; });
    }
    return inbox.shift();
  };
  ws.on('message', (data, isBinary) => arrive({ kind: 'message', data, isBinary }));
  ws.on('close', (code, reason) => {
    arrive({ kind: 'close', code, reason: reason.toString('utf8') });
  });
  ws.on('error', (error) => arrive({ kind: 'error', error }));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  report({ check: 'open', subprotocol: ws.protocol, extensions: ws.extensions });

  for (const [index, message] of plan.messages.entries()) {
    ws.send(payloadOf(message), { binary: message.type === 'binary' });
    const event = await next();
    if (event.kind !== 'message') {
      const what = event.kind === 'close' ? `close ${event.code}` : String(event.error);
      throw new Error(`expected the echo of message ${index}, got ${what}`);
    }
    report({
      check: 'echo',
      index,
      type: event.isBinary ? 'binary' : 'text',
      length: event.data.length,
      sha256: createHash('sha256').update(event.data).digest('hex'),
    });
  }

  ws.close(plan.close.code, plan.close.reason);
  const event = await next();
  if (event.kind !== 'close') {
    throw new Error(`expected the server's close, got ${event.kind} ${event.error ?? ''}`);
  }
  report({ check: 'close', code: event.code, reason: event.reason });
}

try {
  await run(process.argv[2], await readStdin());
} catch (e) {
  fail(e.stack ?? String(e));
}
