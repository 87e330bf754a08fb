"""An echo server on Python's `websockets`, for the client interop tests.

Usage: /usr/bin/python3 websockets_server.py <max-message-size> [subprotocol ...]
The subprotocols are the server's, most preferred first. Run it with Debian's interpreter, which
sees Debian's python3-websockets. It listens on a free port of 127.0.0.1 and echoes every
message with its type; on the path /bye it closes each connection at once with 1000 "bye". It
stops when its standard input ends. One JSON line per check goes to stdout: peer, listening
(the port), then per connection open, echo (one per message, with its SHA-256) and close (the
code it received); or error, with exit code 1 (3 when `websockets` is not installed).
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
    from websockets.exceptions import ConnectionClosedError
    from websockets.legacy.server import serve
except ImportError as e:
    report(check="error",
           message=f"Debian's python3-websockets is not installed ({e}): run .ci/install")
    sys.exit(3)


def picking(preferred):
    """The server's most preferred subprotocol among those the client offered, or none."""
    def pick(offered, available):
        return next((p for p in preferred if p in offered), None)
    return pick


async def echo(ws, path=None):
    path = ws.path
    report(check="open", path=path, subprotocol=ws.subprotocol,
           header=ws.request_headers.get("X-Interop"),
           offered=ws.request_headers.get("Sec-WebSocket-Extensions"),
           extensions=ws.response_headers.get("Sec-WebSocket-Extensions"))
    try:
        if path == "/bye":
            await ws.close(code=1000, reason="bye")
        else:
            index = 0
            async for message in ws:
                data = message.encode("utf-8") if isinstance(message, str) else message
                report(check="echo", path=path, index=index,
                       type="text" if isinstance(message, str) else "binary",
                       length=len(data), sha256=hashlib.sha256(data).hexdigest())
                await ws.send(message)
                index += 1
    except ConnectionClosedError:
        pass  # the close line below shows the code
    except Exception:
        report(check="error", message=f"{path}: {traceback.format_exc()}")
    await ws.wait_closed()
    report(check="close", path=path, code=ws.close_code, reason=ws.close_reason)


async def run(max_size, subprotocols):
    report(check="peer", name="websockets", version=websockets.__version__,
           module=websockets.__file__,
           runtime=f"python {sys.version.split()[0]} at {sys.executable}")
    async with serve(echo, "127.0.0.1", 0, max_size=max_size, subprotocols=subprotocols,
                     select_subprotocol=picking(subprotocols)) as server:
        report(check="listening", port=server.sockets[0].getsockname()[1])
        # Standard input ending is the test's way of saying "stop".
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.buffer.read)


def main():
    try:
        asyncio.run(run(int(sys.argv[1]), sys.argv[2:]))
    except Exception:  # the test shows the peer's story; any failure is a failed check
        report(check="error", message=traceback.format_exc())
        sys.exit(1)


if __name__ == "__main__":
    main()
