#!/usr/bin/env python3
"""Drives the qmp-server example with QEMU's Python client (qemu.qmp).

usage: qmp_client.py SOCKET_PATH

Checks, against a server already listening on SOCKET_PATH:
negotiation (with OOB, as QMPClient asks for it when offered),
commands and their results, an error (class and text), events
(STOP/RESUME emitted by stop/cont), an `exec-oob` command answered
while an in-band command is still running, and `quit`.
Prints one line per check; exits non-zero on the first failure.
"""

import asyncio
import sys

from qemu.qmp import ExecuteError, QMPClient


def check(cond, what):
    if not cond:
        print(f"FAIL: {what}", flush=True)
        sys.exit(1)
    print(f"ok: {what}", flush=True)


async def next_event(qmp, name, timeout=5.0):
    async def wait():
        async for event in qmp.events:
            if event["event"] == name:
                return event
    return await asyncio.wait_for(wait(), timeout)


async def main(path):
    qmp = QMPClient("interop")
    await asyncio.wait_for(qmp.connect(path), 10)
    greeting = qmp.greeting
    check(greeting is not None and "oob" in greeting.QMP.capabilities,
          "greeting offers oob")
    check(greeting.QMP.version["qemu"] == {"major": 0, "minor": 1, "micro": 0},
          "greeting version")

    status = await qmp.execute("query-status")
    check(status == {"running": True, "status": "running"}, f"query-status {status}")

    version = await qmp.execute("query-version")
    check(version["qemu"] == {"major": 0, "minor": 1, "micro": 0}, "query-version")

    names = {c["name"] for c in await qmp.execute("query-commands")}
    check({"query-status", "stop", "cont", "yank", "x-sleep", "qmp_capabilities"} <= names,
          "query-commands")

    schema = await qmp.execute("query-qmp-schema")
    metas = {e["name"]: e["meta-type"] for e in schema}
    check(metas.get("STOP") == "event" and metas.get("query-status") == "command",
          "query-qmp-schema")
    yank = next(e for e in schema if e["name"] == "yank")
    check(yank.get("allow-oob") is True, "yank allows OOB in introspection")

    name = await qmp.execute("query-name")
    check(name == {"name": "interop"}, f"query-name {name}")

    # An error: class and text as QEMU words them.
    try:
        await qmp.execute("blockdev-add", {"driver": "null-co"})
        check(False, "blockdev-add without node-name fails")
    except ExecuteError as err:
        check(err.error_class == "GenericError"
              and err.error.error.desc == "'node-name' must be specified for the root node",
              f"error: {err.error_class}: {err.error.error.desc}")
    try:
        await qmp.execute("stop", {"bogus": 1})
        check(False, "unexpected argument rejected")
    except ExecuteError as err:
        check(err.error.error.desc == "Parameter 'bogus' is unexpected", f"error: {err.error.error.desc}")

    # A union argument.
    await qmp.execute("blockdev-add", {"driver": "null-co", "node-name": "disk0", "size": 1 << 20})
    yanks = await qmp.execute("query-yank")
    check({"type": "block-node", "node-name": "disk0"} in yanks, f"query-yank {yanks}")

    # Events.
    await qmp.execute("stop")
    stop = await next_event(qmp, "STOP")
    check("seconds" in stop["timestamp"] and "microseconds" in stop["timestamp"], "STOP event")
    status = await qmp.execute("query-status")
    check(status == {"running": False, "status": "paused"}, f"paused: {status}")
    await qmp.execute("cont")
    await next_event(qmp, "RESUME")
    check(True, "RESUME event")

    # OOB: a slow in-band command is still running when the OOB reply
    # comes back.
    slow = asyncio.ensure_future(qmp.execute("x-sleep", {"seconds": 2.0}))
    await asyncio.sleep(0.2)
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    yanks = await asyncio.wait_for(qmp.execute("query-yank", oob=True), 1.5)
    check(not slow.done() and loop.time() - t0 < 1.5, "exec-oob answered during x-sleep")
    await asyncio.wait_for(slow, 5)
    check(True, "x-sleep answered after the OOB command")
    try:
        await qmp.execute("query-status", oob=True)
        check(False, "exec-oob of a command without allow-oob fails")
    except ExecuteError as err:
        check(err.error.error.desc == "The command query-status does not support OOB", err.error.error.desc)

    await qmp.execute("quit")
    await next_event(qmp, "SHUTDOWN")
    check(True, "SHUTDOWN event on quit")
    try:
        await qmp.disconnect()
    except EOFError:
        # The server closed the connection after `quit`, as QEMU does;
        # the client's reader reports that here.
        pass
    check(True, "disconnected")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
