// The match backend of the socketio example: game servers report match events to it over
// Socket.IO and get an acknowledgement for each; a dashboard namespace could watch the same
// feed. Run: node server.mjs [--port 3000] [--token demo-token]
import { createServer } from "node:http";
import { createHash } from "node:crypto";
import { Server } from "socket.io";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
};
const port = Number(option("port", process.env.PORT ?? 3000));
const token = option("token", process.env.MATCH_TOKEN ?? "demo-token");

const http = createServer();
// Socket.IO's defaults (polling and WebSocket), as a real backend has them: the Java client
// goes straight to the WebSocket transport, which every Socket.IO 4 server accepts.
const io = new Server(http);
const matches = new Map(); // matchId -> { map, players, events, scores }
// A report for a match this process never saw (it restarted mid-match) starts a fresh record.
const record = (matchId) => {
  if (!matches.has(matchId)) {
    matches.set(matchId, { map: "?", players: [], events: 0, scores: {} });
  }
  return matches.get(matchId);
};
const wins = new Map(); // player -> matches won

const reporters = io.of("/matches");

// Only game servers holding the shared token may report.
reporters.use((socket, next) => {
  if (socket.handshake.auth?.token === token) {
    next();
  } else {
    const refusal = new Error("invalid token");
    refusal.data = { hint: "start the game server with the backend's --token" };
    next(refusal);
  }
});

reporters.on("connection", (socket) => {
  const server = socket.handshake.auth.server ?? socket.id;
  console.log(`game server ${server} connected`);

  socket.on("match:start", (match, ack) => {
    if (typeof match?.matchId !== "string" || !Array.isArray(match.players)) {
      ack?.({ accepted: false, error: "match:start needs a matchId and players" });
      return;
    }
    matches.set(match.matchId, { map: match.map, players: match.players, events: 0, scores: {} });
    console.log(`${match.matchId} started on ${match.map}: ${match.players.join(", ")}`);
    ack?.({ accepted: true, matchId: match.matchId });
  });

  socket.on("match:event", (event, ack) => {
    if (typeof event?.matchId !== "string") {
      ack?.({ accepted: false, error: "match:event needs a matchId" });
      return;
    }
    const match = record(event.matchId);
    match.events += 1;
    if (event.type === "kill") {
      match.scores[event.killer] = (match.scores[event.killer] ?? 0) + 1;
    }
    ack?.({ accepted: true, seq: match.events });
  });

  // The replay arrives as a binary attachment; the digest proves every byte came through.
  socket.on("match:end", (end, replay, ack) => {
    if (typeof end?.matchId !== "string" || !Buffer.isBuffer(replay)) {
      ack?.({ accepted: false, error: "match:end needs a matchId and the replay as a binary attachment" });
      return;
    }
    const match = record(end.matchId);
    matches.delete(end.matchId);
    wins.set(end.winner, (wins.get(end.winner) ?? 0) + 1);
    const sha256 = createHash("sha256").update(replay).digest("hex");
    console.log(`${end.matchId} won by ${end.winner} after ${match.events} events`
      + ` (replay ${replay.length} bytes)`);
    ack?.({ accepted: true, events: match.events, scores: match.scores, replayBytes: replay.length,
      replaySha256: sha256 });
    const leaderboard = [...wins.entries()].sort((a, b) => b[1] - a[1])
      .map(([player, won]) => ({ player, won }));
    reporters.emit("leaderboard", leaderboard);
  });

  socket.on("disconnect", (reason) => console.log(`game server ${server} left: ${reason}`));
});

http.listen(port, "127.0.0.1", () => {
  console.log(`match backend listening on http://127.0.0.1:${http.address().port}/matches`);
});
