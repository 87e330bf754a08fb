"""Drives a WebSocket server with the Python `websockets` client, for the interop tests.

Usage: /usr/bin/python3 websockets_client.py <ws-url> < plan.json
Run it with Debian's interpreter, which sees Debian's python3-websockets. The plan (see
EchoPlan.java) lists the subprotocols to offer, the messages to send and the close to start.
Each message is sent once its predecessor's echo came back. One JSON line per check goes to
stdout: peer, open, echo (one per message), close; or error, with exit code 1 (3 when
`websockets` is not installed).
"""

import asyncio
import hashlib
import json
import sys
import traceback


def report(**line):
    print(json.dumps(line), flush=True)


try:
    import websockets
    from websockets.legacy.client import connect
except ImportError as e:
    report(check="error",
           message=f"Debian's python3-websockets is not installed ({e}): run .ci/install")
    sys.exit(3)


def generated(seed, size):
    """A binary payload both sides can rebuild: SHA-256(seed ":" k) for blocks k = 0, 1, ..."""
    blocks = (hashlib.sha256(f"{seed}:{k}".encode()).digest() for k in range((size + 31) // 32))
    return b"".join(blocks)[:size]


def payload_of(message):
    if message["type"] == "text":
        return message["text"] * message.get("repeat", 1)
    return generated(message["seed"], message["size"])


async def run(url, plan):
    report(check="peer", name="websockets", version=websockets.__version__,
           module=websockets.__file__,
           runtime=f"python {sys.version.split()[0]} at {sys.executable}")
    ws = await connect(url, subprotocols=plan["subprotocols"],
                       max_size=plan["maxMessageSize"], open_timeout=10)
    report(check="open", subprotocol=ws.subprotocol,
           extensions=ws.response_headers.get("Sec-WebSocket-Extensions"))
    for index, message in enumerate(plan["messages"]):
        await ws.send(payload_of(message))
        echo = await ws.recv()
        data = echo.encode("utf-8") if isinstance(echo, str) else echo
        report(check="echo", index=index, type="text" if isinstance(echo, str) else "binary",
               length=len(data), sha256=hashlib.sha256(data).hexdigest())
    await ws.close(code=plan["close"]["code"], reason=plan["close"]["reason"])
    report(check="close", code=ws.close_code, reason=ws.close_reason)


def main():
    try:
        asyncio.run(run(sys.argv[1], json.loads(sys.stdin.buffer.read())))
    except Exception:  # the test shows the peer's story; any failure is a failed check
        report(check="error", message=traceback.format_exc())
        sys.exit(1)


if __name__ == "__main__":
    main()
