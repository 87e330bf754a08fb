// A Socket.IO 4.8 server, for the Socket.IO client interop tests.
//
// Usage: node socketio-server.mjs [port] [pingInterval ms] [pingTimeout ms]. It listens on
// 127.0.0.1 at the port (0 or none: a free one) and serves two namespaces:
//   /       echo (emits the arguments back as "echo"), ack-me (acks with the arguments),
//           ask (emits "question" with its arguments and an ack, then emits "answered" with the
//           client's ack), record / records (keeps arguments, acks them all), kick (the server
//           disconnects the socket), stop-pinging (this connection gets no more pings)
//   /admin  only with auth {token: "secret"}; else an Error "bad token" with data
//           {reason: "token", given: <token>}; whoami acks with the namespace and the auth
// It stops when its standard input ends. One JSON line per check goes to stdout: peer,
// listening (the port), then connect and disconnect per socket; or error, with exit code 1
// (3 when socket.io is not installed).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const report = (line) => process.stdout.write(JSON.stringify(line) + '\n');

function fail(message, exitCode = 1) {
  report({ check: 'error', message });
  process.exitCode = exitCode;
}

let Server;
let version;
try {
  ({ Server } = await import('socket.io'));
  // The package exports no package.json, so read it where npm put it.
  const manifest = new URL('./node_modules/socket.io/package.json', import.meta.url);
  version = JSON.parse(readFileSync(manifest, 'utf8')).version;
} catch (e) {
  fail(`socket.io is not installed in .ci/peers (${e.code ?? e.message}): run .ci/install`, 3);
  process.exit();
}

function stdinEnded() {
  return new Promise((resolve) => {
    process.stdin.on('end', resolve);
    process.stdin.on('error', resolve);
    process.stdin.resume();
  });
}

/**
 * Stops Engine.IO's pings for one connection, as a hung server would: no more ping packets, and
 * no timeout waiting for pongs (a pong re-arms the interval timer, so the timers alone won't do).
 */
function stopPinging(conn) {
  clearTimeout(conn.pingIntervalTimer);
  clearTimeout(conn.pingTimeoutTimer);
  conn.resetPingTimeout = () => {};
  const sendPacket = conn.sendPacket.bind(conn);
  conn.sendPacket = (type, ...rest) => {
    if (type !== 'ping') {
      sendPacket(type, ...rest);
    }
  };
}

function serveMain(io) {
  const records = [];
  io.of('/').on('connection', (socket) => {
    report({ check: 'connect', nsp: '/', id: socket.id });
    socket.on('disconnect', (reason) => report({ check: 'disconnect', nsp: '/', reason }));
    socket.on('echo', (...args) => socket.emit('echo', ...args));
    socket.on('ack-me', (...args) => {
      const callback = args.pop();
      callback(...args);
    });
    socket.on('ask', (...args) => {
      socket.timeout(5000).emit('question', ...args, (err, ...answer) => {
        socket.emit('answered', err ? { error: err.message } : answer);
      });
    });
    socket.on('record', (...args) => records.push(args.length === 1 ? args[0] : args));
    socket.on('records', (callback) => callback(records));
    socket.on('kick', () => socket.disconnect());
    socket.on('stop-pinging', (callback) => {
      stopPinging(socket.conn);
      callback('stopped');
    });
  });
}

function serveAdmin(io) {
  const admin = io.of('/admin');
  admin.use((socket, next) => {
    const token = socket.handshake.auth?.token;
    if (token === 'secret') {
      next();
    } else {
      const err = new Error('bad token');
      err.data = { reason: 'token', given: token ?? null };
      next(err);
    }
  });
  admin.on('connection', (socket) => {
    report({ check: 'connect', nsp: '/admin', id: socket.id });
    socket.on('disconnect', (reason) => report({ check: 'disconnect', nsp: '/admin', reason }));
    socket.on('whoami', (callback) => callback({ nsp: '/admin', auth: socket.handshake.auth }));
  });
}

async function run(port, pingInterval, pingTimeout) {
  report({ check: 'peer', name: 'socket.io', version, runtime: `node ${process.version}` });
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'], pingInterval, pingTimeout });
  serveMain(io);
  serveAdmin(io);
  await new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', resolve);
  });
  report({ check: 'listening', port: http.address().port });
  await stdinEnded();
  io.disconnectSockets(true);
  await new Promise((resolve) => io.close(resolve));
}

const arg = (i, fallback) => (process.argv[i] === undefined ? fallback : Number(process.argv[i]));
try {
  await run(arg(2, 0), arg(3, 25000), arg(4, 20000));
} catch (e) {
  fail(e.stack ?? String(e));
}
