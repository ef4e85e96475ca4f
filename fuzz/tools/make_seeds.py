#!/usr/bin/env python3
"""Regenerates the seed corpora under fuzz/corpus/ (see FUZZING.md).

Sources (run from anywhere; paths are relative to the repository):

* the live QEMU transcripts, ../shared/qemu/live/*transcripts*.txt
  (override the shared directory with QAPI_SHARED_DIR): the bytes of
  every `-->` line (what was sent to QEMU, not the prose), decoded from
  the transcripts' notation; the abbreviated nesting-limit requests are
  rebuilt exactly (their sizes are given), the 2 MiB and 64 MiB ones
  are left out;
* string literals of the existing tests (JSON inputs of the reader,
  request lines, arguments of commands and values of types);
* QEMU's schema test cases, ../shared/qemu/qapi-schema-tests/*.json.

Seeds of the `decode` target are `<entry>\\n<JSON>`, where `<entry>` is
a name in the table of fuzz/src/targets.rs (`qsd::BlockdevAdd`,
`ks::UserDefFlatUnion`, `example::Shape`, ...); seeds of the `session`
target are `<config>\\n<client bytes>` (`qmp`, `qmp-pretty`, `ga`, ...):
each transcript section's input, each transcript's whole input, and the
hand-written sessions of `SESSION_PATHS` below (the server's paths:
OOB, queueing, asynchronous handlers, events, garbage, quit).

Only standard Python 3. Existing seed files are replaced; files the
fuzzer added (40-hex names) are left alone.
"""

import ast
import hashlib
import json
import os
import re
import shutil
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.environ.get("QAPI_SHARED_DIR", os.path.join(ROOT, "..", "shared"))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


# ---------------------------------------------------------------------
# Transcripts

def split_outside_strings(text):
    """Turns the notation's literal `\\r\\n` / `\\n` outside JSON strings
    into the bytes they stand for; inside strings they are JSON escapes
    that were sent as such."""
    out = []
    i = 0
    quote = None
    while i < len(text):
        c = text[i]
        if quote:
            out.append(c)
            if c == "\\" and i + 1 < len(text):
                out.append(text[i + 1])
                i += 2
                continue
            if c == quote:
                quote = None
            i += 1
            continue
        if c in "\"'":
            quote = c
            out.append(c)
            i += 1
            continue
        if text.startswith("\\r\\n", i):
            out.append("\r\n")
            i += 4
            continue
        if text.startswith("\\n", i):
            out.append("\n")
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out).encode("utf-8")


def transcript_inputs(path):
    """The bytes of each `-->` line, as (section header, bytes); sections
    are separated by `=====` lines."""
    header = ""
    expect_header = False
    for line in read(path).split("\n"):
        if line.startswith("====="):
            expect_header = True
            continue
        if expect_header and line.startswith("### "):
            header = line
            expect_header = False
        if not line.startswith("--> "):
            continue
        body = line[4:]
        if body.startswith("b'") or body.startswith('b"'):
            yield header, ast.literal_eval(body)
            continue
        m = re.match(r"<(\d+) bytes: (.*)>$", body)
        if m:
            size = int(m.group(1))
            prefix = b'{"execute":"query-version","id":'
            # Nesting-limit probes: rebuild them exactly from their size.
            if m.group(2).startswith('{"execute":"query-version","id":[[['):
                depth = (size - len(prefix) - 2) // 2
                data = prefix + b"[" * depth + b"]" * depth + b"}\n"
            elif m.group(2).startswith("[[["):
                depth = (size - 1) // 2
                data = b"[" * depth + b"]" * depth + b"\n"
            else:
                continue  # 2 MiB / 64 MiB limit probes: too big for seeds
            assert len(data) == size, (body, len(data))
            yield header, data
            continue
        yield header, split_outside_strings(body)


# ---------------------------------------------------------------------
# Rust sources

RUST_ESC = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", "0": "\0", "'": "'", '"': '"'}


def rust_unescape(s, is_bytes):
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        n = s[i + 1]
        if n in RUST_ESC:
            out += RUST_ESC[n].encode()
            i += 2
        elif n == "x":
            v = int(s[i + 2:i + 4], 16)
            out += bytes([v]) if is_bytes else chr(v).encode("utf-8")
            i += 4
        elif n == "u":
            j = s.index("}", i)
            out += chr(int(s[i + 3:j], 16)).encode("utf-8")
            i = j + 1
        elif n == "\n":
            i += 2
            while i < len(s) and s[i] in " \t\n":
                i += 1
        else:
            raise ValueError("escape \\" + n)
    return bytes(out)


LITERAL = re.compile(r'(b?)r(#*)"(.*?)"\2|(b?)"((?:[^"\\]|\\.)*)"', re.S)


def literals(src):
    """(offset, bytes, is_raw) of every string literal of a Rust file."""
    for m in LITERAL.finditer(src):
        if m.group(3) is not None:
            yield m.start(), m.group(3).encode("utf-8"), True
        else:
            try:
                yield m.start(), rust_unescape(m.group(5), m.group(4) == "b"), False
            except (ValueError, IndexError):
                continue


def looks_like_json(b):
    s = b.lstrip()
    return s[:1] in (b"{", b"[") and b"{{" not in b


def definitions(paths):
    """Rust type idents defined in these files, and wire name -> ident of
    commands and events."""
    idents, wire = set(), {}
    for p in paths:
        src = read(p)
        idents.update(re.findall(r"pub (?:struct|enum) (\w+)", src))
        for m in re.finditer(r'#\[qapi\(\s*(?:command|event) = "([^"]+)".*?\)\]\s*pub struct (\w+)', src, re.S):
            wire[m.group(1)] = m.group(2)
    return idents, wire


class Raw(str):
    """A number as written in the input."""


def loads(data):
    return json.loads(data.decode("utf-8"), parse_float=Raw, parse_int=Raw, parse_constant=Raw)


def dumps(v):
    """Compact JSON keeping numbers as written."""
    if isinstance(v, Raw):
        return str(v)
    if isinstance(v, dict):
        return "{" + ",".join(json.dumps(k) + ":" + dumps(x) for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ",".join(dumps(x) for x in v) + "]"
    return json.dumps(v)


# ---------------------------------------------------------------------
# Sessions that take the server's paths (the handlers of the session
# registry in fuzz/src/targets.rs: `draw` emits an event, `ping` is
# asynchronous and allow-oob, `test-flags-command` synchronous and
# allow-oob, `coroutine-cmd` asynchronous in-band, `cmd-success-response`
# silent).

CAPS_OOB = b'{"execute":"qmp_capabilities","arguments":{"enable":["oob"]}}\r\n'
CAPS = b'{"execute":"qmp_capabilities"}\r\n'
DRAW_RED = b'{"execute":"draw","arguments":{"shape":{"kind":"red","id":"r"}},"id":"draw-red"}'
DRAW_BLUE = (b'{"execute":"draw","arguments":{"shape":{"kind":"blue","id":"b","x":-1,'
             b'"tags":[1,2]},"alt":"s"},"id":"draw-blue"}')
MIXED = (b'{"execute":"coroutine-cmd","id":1}{"exec-oob":"ping","id":"o1"}' + DRAW_RED +
         b'{"exec-oob":"test-flags-command","id":"o2"}{"execute":"cmd-success-response","id":3}'
         b'{"execute":"cmd-success-response","arguments":{"x":1},"id":4}'
         b'{"exec-oob":"ping","id":"o3"}{"exec-oob":"ping","id":"o4"}' + DRAW_BLUE +
         b'{"execute":"ping","id":5}{"exec-oob":"draw","id":"o5"}{"execute":"query-version","id":6}\r\n')


def nested(depth, inner=b"1"):
    return b"[" * depth + inner + b"]" * depth


SESSION_PATHS = [
    # OOB and in-band, synchronous and asynchronous, an event, silence.
    ("paths-oob-mixed", b"qmp", CAPS_OOB + MIXED),
    # The same with tiny queue, in-flight, memory and output bounds.
    ("paths-oob-mixed-small", b"qmp-small-limits", CAPS_OOB + MIXED * 3),
    ("paths-oob-mixed-pretty", b"qmp-pretty", CAPS_OOB + MIXED),
    # Without OOB: exec-oob is an unexpected member, oob not available.
    ("paths-no-oob", b"qmp-no-oob", CAPS_OOB + CAPS + MIXED),
    ("paths-no-oob-negotiated", b"qmp", CAPS + MIXED),
    # Before negotiation: only qmp_capabilities; no events.
    ("paths-unnegotiated", b"qmp", MIXED + CAPS_OOB + DRAW_RED),
    # Garbage between requests: the reader resynchronises.
    ("paths-garbage", b"qmp", CAPS_OOB + b'{"execute": \xff' + DRAW_RED +
     b'}]{"execute":"query-version","id":TRUE}\x01{"a":"\xc3\x28"}' +
     b"{'execute':'ping','id':'sq'}" + b'{"execute":"query-version","id":"x"}}}' + DRAW_BLUE),
    # A request cut off by the end of input is dropped.
    ("paths-partial-at-eof", b"qmp", CAPS + DRAW_RED + b'{"execute":"query-version","id":"partial"'),
    # Nested deeper than 64 (dispatched on a big stack), in-band and OOB.
    ("paths-deep", b"qmp", CAPS_OOB +
     b'{"execute":"guest-sync","arguments":{"arg":' + nested(100) + b'},"id":' + nested(90) + b'}' +
     b'{"exec-oob":"ping","id":' + nested(200, b'"deep"') + b'}' +
     b'{"execute":"draw","arguments":' + nested(70) + b'}'),
    # Over the small limits.
    ("paths-limits", b"qmp-small-limits", CAPS_OOB + nested(7) + b"[" + b"1," * 50 + b"1]" +
     b'"' + b"x" * 40 + b'"' + DRAW_RED),
    # quit while OOB requests run and wait; nothing after its reply.
    ("paths-quit-oob", b"qmp", CAPS_OOB + b'{"exec-oob":"ping","id":"p1"}{"execute":"coroutine-cmd","id":1}'
     b'{"execute":"quit","id":"q"}{"exec-oob":"ping","id":"late"}{"execute":"query-version","id":"never"}'),
    ("paths-quit-small", b"qmp-small-limits", CAPS_OOB + MIXED + b'{"execute":"quit","id":"q"}' + MIXED),
    # Non-finite numbers: written as inf, which is not JSON.
    ("paths-inf", b"qmp", CAPS + b'{"execute":"guest-sync","arguments":{"arg":1e400},"id":-1e999}'),
    # Guest agent: no greeting, no negotiation, exec-oob unexpected.
    ("paths-ga", b"ga", b'{"execute":"guest-sync","arguments":{"arg":123},"id":1}\n' +
     b'{"execute":"guest-sync-delimited","arguments":{"id":1}}\xff{"execute":"guest-sync","arguments":{"arg":"x"}}' +
     b'{"exec-oob":"ping"}' + DRAW_RED + b'{"execute":"coroutine-cmd"}{"execute":"quit"}'),
]


# ---------------------------------------------------------------------

class Corpus:
    def __init__(self, target):
        self.dir = os.path.join(CORPUS, target)
        os.makedirs(self.dir, exist_ok=True)
        for f in os.listdir(self.dir):
            if not re.fullmatch(r"[0-9a-f]{40}", f):
                os.remove(os.path.join(self.dir, f))
        self.seen = set()
        self.count = {}

    def add(self, prefix, data, name=None):
        h = hashlib.sha1(data).hexdigest()
        if h in self.seen or not data:
            return
        self.seen.add(h)
        if name is None:
            n = self.count.get(prefix, 0) + 1
            self.count[prefix] = n
            name = "%s-%03d" % (prefix, n)
        with open(os.path.join(self.dir, name), "wb") as f:
            f.write(data)


def main():
    live = os.path.join(SHARED, "qemu", "live")
    if not os.path.isdir(live):
        sys.exit("no %s (set QAPI_SHARED_DIR)" % live)

    mods = {
        "qsd": [os.path.join(ROOT, "tests/common/qsd_mini.rs")],
        "example": [os.path.join(ROOT, "tests/common/example.rs")],
        "ks": [os.path.join(ROOT, "tests/kitchen-sink/src", f)
               for f in ("lib.rs", "sub_module.rs", "sub_sub_module.rs")],
    }
    defs = {m: definitions(p) for m, p in mods.items()}

    def entry_for_wire(name, modules=("qsd", "example", "ks")):
        for m in modules:
            if name in defs[m][1]:
                return "%s::%s" % (m, defs[m][1][name])
        return None

    stream = Corpus("json_stream")
    disp = Corpus("dispatch")
    dec = Corpus("decode")

    def add_request(prefix, data, modules=("qsd", "example", "ks")):
        stream.add(prefix, data)
        disp.add(prefix, data)
        # Requests for commands of the tables: their arguments.
        try:
            req = loads(data)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return
        if isinstance(req, dict) and isinstance(req.get("execute"), str):
            entry = entry_for_wire(req["execute"], modules)
            args = req.get("arguments", {})
            if entry and isinstance(args, dict):
                dec.add(prefix, entry.encode() + b"\n" + dumps(args).encode())

    # Transcripts: each request, each transcript's whole input, and (for
    # the session target) each session's input.
    session = Corpus("session")
    for f in sorted(os.listdir(live)):
        if "transcripts" not in f:
            continue
        tag = f.split("-transcripts")[0] + "-transcript"
        whole = b""
        sessions = {}
        for header, data in transcript_inputs(os.path.join(live, f)):
            # The mini QSD port only matches QSD's commands.
            add_request(tag, data, ("qsd",) if tag.startswith("qsd") else ())
            if len(data) < 4096:
                whole += data
            sessions.setdefault(header, b"")
            sessions[header] += data
        stream.add(tag + "-all", whole, tag + "-all")
        disp.add(tag + "-all", whole, tag + "-all")
        for header, data in sessions.items():
            if tag.startswith("qga"):
                config = b"ga"
            elif "pretty" in header:
                config = b"qmp-pretty"
            else:
                config = b"qmp"
            if len(data) <= 8192:
                session.add(tag, config + b"\n" + data)
        for config in (b"qmp", b"qmp-no-oob", b"qmp-small-limits") if not tag.startswith("qga") else (b"ga",):
            session.add(tag + "-all-" + config.decode(), config + b"\n" + whole, tag + "-all-" + config.decode())

    for name, config, data in SESSION_PATHS:
        session.add(name, config + b"\n" + data, name)

    # Literals of the existing tests.
    tests = {
        "json_reader": "qapi-core/tests/json_reader.rs",
        "json_writer": "qapi-core/tests/json_writer.rs",
        "json_live_qsd": "qapi-core/tests/json_live_qsd.rs",
        "json_strings": "qapi-core/src/json/strings.rs",
        "wire_errors": "tests/wire_errors.rs",
        "dispatch": "tests/dispatch.rs",
        "roundtrip": "tests/roundtrip.rs",
        "ks_wire": "tests/kitchen-sink/tests/wire.rs",
    }
    for tag, rel in tests.items():
        path = os.path.join(ROOT, rel)
        if not os.path.exists(path):
            continue
        src = read(path)
        for off, data, _raw in literals(src):
            reader_test = tag.startswith("json_")
            if not looks_like_json(data) and not (reader_test and re.search(rb"[{}\[\]\"'\\\x00-\x1f\x80-\xff]", data)):
                continue
            stream.add(tag, data)
            if tag in ("wire_errors", "dispatch"):
                add_request(tag, data, ("qsd", "example"))
            # `value::<T>(..)`, `args::<C>(..)`, `data::<E>(..)`,
            # `qapi::from_str::<T>(..)` just before the literal.
            before = src[max(0, off - 80):off]
            m = re.search(r"(?:value|args|data|from_str|err|ok)::<(\w+)>\(\s*$", before)
            if m:
                module = "ks" if tag == "ks_wire" else "example"
                if m.group(1) in defs[module][0]:
                    dec.add(tag, ("%s::%s\n" % (module, m.group(1))).encode() + data)

    # QEMU's schema test cases.
    schema = Corpus("schema")
    tdir = os.path.join(SHARED, "qemu", "qapi-schema-tests")
    for f in sorted(os.listdir(tdir)):
        if f.endswith(".json"):
            with open(os.path.join(tdir, f), "rb") as fh:
                schema.add("qemu", fh.read(), "qemu-" + f)
    inc = os.path.join(tdir, "include")
    for f in sorted(os.listdir(inc)):
        if f.endswith(".json"):
            with open(os.path.join(inc, f), "rb") as fh:
                schema.add("qemu", fh.read(), "qemu-include-" + f)

    for c in (stream, disp, dec, schema, session):
        print("%-12s %4d seeds" % (os.path.basename(c.dir), len(c.seen)))


if __name__ == "__main__":
    main()
