"""A small pure-Python Parquet reader: enough for the LeRobot datasets `sam2grasp export` writes.

No pyarrow or fastparquet is needed (Debian has neither here); only numpy. It reads the file
footer (Thrift compact protocol), then each column chunk's pages, and assembles rows.

What it reads:
  - pages: DATA_PAGE (v1), DATA_PAGE_V2 and DICTIONARY_PAGE;
  - encodings: PLAIN, RLE / bit-packed levels and booleans, PLAIN_DICTIONARY / RLE_DICTIONARY;
  - codecs: UNCOMPRESSED and GZIP (the standard library's zlib); SNAPPY and the rest are refused
    with a message (`sam2grasp export` writes uncompressed pages: its images are PNG already);
  - physical types BOOLEAN, INT32, INT64, FLOAT, DOUBLE, BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY;
  - shapes: required or optional primitive columns, structs of primitives (the image struct
    {bytes, path}), and LISTs (3-level, `list` / `element`) of primitives, nested to any depth.
What it does not: a list of structs, a map, encryption, and the DELTA_* or BYTE_STREAM_SPLIT
encodings (a clear error names what it met). A null struct comes back as a dict of Nones.

    table = read_parquet("episode_000000.parquet")
    table.columns["observation.state"][0]   # [x, y, z, yaw, opening, gripForce, gripper]
    table.columns["observation.images.scene"][0]["bytes"]  # PNG file bytes
"""

import json
import struct
import zlib
from dataclasses import dataclass, field

import numpy as np

# --- Thrift compact protocol ------------------------------------------------------------------

_STOP, _TRUE, _FALSE, _BYTE, _I16, _I32, _I64, _DOUBLE, _BINARY, _LIST, _SET, _MAP, _STRUCT = range(13)


class _Thrift:
    """Decodes Thrift compact-protocol structs into {field id: value} dicts."""

    def __init__(self, buf, pos=0):
        self.buf = buf
        self.pos = pos

    def varint(self):
        shift = result = 0
        while True:
            b = self.buf[self.pos]
            self.pos += 1
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7

    def zigzag(self):
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def value(self, t):
        if t == _TRUE:
            return True
        if t == _FALSE:
            return False
        if t == _BYTE:
            b = self.buf[self.pos]
            self.pos += 1
            return b - 256 if b > 127 else b
        if t in (_I16, _I32, _I64):
            return self.zigzag()
        if t == _DOUBLE:
            (v,) = struct.unpack_from("<d", self.buf, self.pos)
            self.pos += 8
            return v
        if t == _BINARY:
            n = self.varint()
            v = bytes(self.buf[self.pos : self.pos + n])
            self.pos += n
            return v
        if t in (_LIST, _SET):
            header = self.buf[self.pos]
            self.pos += 1
            size, elem = header >> 4, header & 0x0F
            if size == 15:
                size = self.varint()
            if elem in (_TRUE, _FALSE):  # booleans in a list take one byte each
                out = [self.buf[self.pos + i] == _TRUE for i in range(size)]
                self.pos += size
                return out
            return [self.value(elem) for _ in range(size)]
        if t == _MAP:
            size = self.varint()
            if size == 0:
                return {}
            kinds = self.buf[self.pos]
            self.pos += 1
            return {self.value(kinds >> 4): self.value(kinds & 0x0F) for _ in range(size)}
        if t == _STRUCT:
            return self.struct()
        raise ValueError(f"thrift: unknown type {t}")

    def struct(self):
        out = {}
        last = 0
        while True:
            header = self.buf[self.pos]
            self.pos += 1
            t = header & 0x0F
            if t == _STOP:
                return out
            delta = header >> 4
            fid = last + delta if delta else self.zigzag()
            out[fid] = self.value(t)
            last = fid


# --- Parquet metadata -------------------------------------------------------------------------

_TYPES = ["BOOLEAN", "INT32", "INT64", "INT96", "FLOAT", "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"]
_REPETITION = ["REQUIRED", "OPTIONAL", "REPEATED"]
_CODECS = ["UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"]
_ENCODINGS = {0: "PLAIN", 2: "PLAIN_DICTIONARY", 3: "RLE", 4: "BIT_PACKED", 5: "DELTA_BINARY_PACKED",
              6: "DELTA_LENGTH_BYTE_ARRAY", 7: "DELTA_BYTE_ARRAY", 8: "RLE_DICTIONARY", 9: "BYTE_STREAM_SPLIT"}
_LIST_CONVERTED = 3  # ConvertedType.LIST
_UTF8_CONVERTED = 0  # ConvertedType.UTF8


@dataclass
class _Node:
    name: str
    repetition: str
    type: str | None = None
    type_length: int | None = None
    converted: int | None = None
    children: list = field(default_factory=list)


def _schema_tree(elements):
    """The flat schema list (depth-first, with num_children) as a tree; returns the root."""
    def build(i):
        e = elements[i]
        node = _Node(
            name=e[4].decode(),
            repetition=_REPETITION[e.get(3, 0)],
            type=_TYPES[e[1]] if 1 in e else None,
            type_length=e.get(2),
            converted=e.get(6),
        )
        i += 1
        for _ in range(e.get(5, 0)):
            child, i = build(i)
            node.children.append(child)
        return node, i
    root, _ = build(0)
    return root


def _leaves(node, path):
    """(path of nodes from the top-level column down, leaf) for every leaf under `node`."""
    if not node.children:
        yield path + [node]
        return
    for child in node.children:
        yield from _leaves(child, path + [node])


# --- Encodings --------------------------------------------------------------------------------

def _rle_hybrid(buf, pos, end, bit_width, count):
    """Decodes `count` values of the RLE / bit-packed hybrid encoding from buf[pos:end]."""
    out = np.zeros(count, dtype=np.int64)
    if bit_width == 0:
        return out
    mask = (1 << bit_width) - 1
    width_bytes = (bit_width + 7) // 8
    n = 0
    reader = _Thrift(buf, pos)
    while n < count and reader.pos < end:
        header = reader.varint()
        if header & 1:  # bit-packed: groups of 8 values, least significant bit first
            groups = header >> 1
            nbytes = groups * bit_width
            packed = int.from_bytes(buf[reader.pos : reader.pos + nbytes], "little")
            reader.pos += nbytes
            take = min(groups * 8, count - n)
            for i in range(take):
                out[n + i] = (packed >> (i * bit_width)) & mask
            n += take
        else:  # a run of one value
            run = header >> 1
            v = int.from_bytes(buf[reader.pos : reader.pos + width_bytes], "little")
            reader.pos += width_bytes
            take = min(run, count - n)
            out[n : n + take] = v
            n += take
    return out


def _plain(buf, pos, count, node):
    """`count` PLAIN values of the leaf's physical type from buf[pos:]; returns (values, new pos)."""
    t = node.type
    numeric = {"INT32": "<i4", "INT64": "<i8", "FLOAT": "<f4", "DOUBLE": "<f8"}
    if t in numeric:
        dtype = np.dtype(numeric[t])
        values = np.frombuffer(buf, dtype=dtype, count=count, offset=pos)
        return values, pos + count * dtype.itemsize
    if t == "BOOLEAN":
        nbytes = (count + 7) // 8
        bits = np.unpackbits(np.frombuffer(buf, dtype=np.uint8, count=nbytes, offset=pos), bitorder="little")
        return bits[:count].astype(bool), pos + nbytes
    if t == "BYTE_ARRAY":
        values = []
        for _ in range(count):
            (n,) = struct.unpack_from("<I", buf, pos)
            values.append(bytes(buf[pos + 4 : pos + 4 + n]))
            pos += 4 + n
        if node.converted == _UTF8_CONVERTED:
            values = [v.decode("utf-8") for v in values]
        return values, pos
    if t == "FIXED_LEN_BYTE_ARRAY":
        n = node.type_length
        return [bytes(buf[pos + i * n : pos + (i + 1) * n]) for i in range(count)], pos + count * n
    raise ValueError(f"parquet: physical type {t} not supported")


def _decompress(codec, data, uncompressed_size):
    if codec == "UNCOMPRESSED":
        return data
    if codec == "GZIP":
        return zlib.decompress(data, 16 + zlib.MAX_WBITS)
    raise ValueError(f"parquet: codec {codec} not supported by this reader (export writes UNCOMPRESSED)")


# --- Column chunks ----------------------------------------------------------------------------

def _read_chunk(buf, meta, path):
    """Values, definition and repetition levels of one column chunk."""
    leaf = path[-1]
    max_def = sum(1 for n in path if n.repetition != "REQUIRED")
    max_rep = sum(1 for n in path if n.repetition == "REPEATED")
    codec = _CODECS[meta[4]]
    total = meta[5]
    start = min(meta[9], meta.get(11, meta[9]))
    reader = _Thrift(buf, start)
    dictionary = None
    values, defs, reps = [], [], []
    seen = 0
    while seen < total:
        header = reader.struct()
        body = reader.pos
        reader.pos += header[3]
        page_type = header[1]
        if page_type == 2:  # dictionary page
            data = _decompress(codec, bytes(buf[body : body + header[3]]), header[2])
            dictionary, _ = _plain(data, 0, header[7][1], leaf)
            continue
        if page_type == 0:  # data page v1: levels inside the (compressed) body, each prefixed with its length
            h = header[5]
            n, encoding = h[1], _ENCODINGS[h[2]]
            data = _decompress(codec, bytes(buf[body : body + header[3]]), header[2])
            pos = 0
            if max_rep:
                (ln,) = struct.unpack_from("<I", data, pos)
                r = _rle_hybrid(data, pos + 4, pos + 4 + ln, max_rep.bit_length(), n)
                pos += 4 + ln
            else:
                r = np.zeros(n, dtype=np.int64)
            if max_def:
                (ln,) = struct.unpack_from("<I", data, pos)
                d = _rle_hybrid(data, pos + 4, pos + 4 + ln, max_def.bit_length(), n)
                pos += 4 + ln
            else:
                d = np.zeros(n, dtype=np.int64)
        elif page_type == 3:  # data page v2: levels uncompressed before the (compressed) values
            h = header[8]
            n, encoding = h[1], _ENCODINGS[h[4]]
            rep_len, def_len = h.get(6, 0), h.get(5, 0)
            r = _rle_hybrid(buf, body, body + rep_len, max_rep.bit_length(), n) if max_rep else np.zeros(n, dtype=np.int64)
            d = _rle_hybrid(buf, body + rep_len, body + rep_len + def_len, max_def.bit_length(), n) if max_def else np.zeros(n, dtype=np.int64)
            raw = bytes(buf[body + rep_len + def_len : body + header[3]])
            compressed = h.get(7, True)
            data = _decompress(codec, raw, header[2] - rep_len - def_len) if compressed else raw
            pos = 0
        else:
            continue  # index pages
        present = int(np.count_nonzero(d == max_def))
        if encoding == "PLAIN":
            page_values, _ = _plain(data, pos, present, leaf)
        elif encoding in ("PLAIN_DICTIONARY", "RLE_DICTIONARY"):
            bit_width = data[pos]
            idx = _rle_hybrid(data, pos + 1, len(data), bit_width, present)
            page_values = [dictionary[i] for i in idx] if isinstance(dictionary, list) else dictionary[idx]
        elif encoding == "RLE" and leaf.type == "BOOLEAN":  # length-prefixed, bit width 1
            (ln,) = struct.unpack_from("<I", data, pos)
            page_values = _rle_hybrid(data, pos + 4, pos + 4 + ln, 1, present).astype(bool)
        else:
            raise ValueError(f"parquet: encoding {encoding} not supported by this reader")
        values.extend(page_values.tolist() if isinstance(page_values, np.ndarray) else page_values)
        defs.append(d)
        reps.append(r)
        seen += n
    return values, np.concatenate(defs) if defs else np.zeros(0, int), np.concatenate(reps) if reps else np.zeros(0, int), path


def _assemble(values, defs, reps, path):
    """Rows of one leaf: scalars, or nested lists for every REPEATED node on its path (Dremel)."""
    max_def = sum(1 for n in path if n.repetition != "REQUIRED")
    # The definition level at which each repeated node holds an element.
    rep_defs, level = [], 0
    for n in path:
        if n.repetition != "REQUIRED":
            level += 1
        if n.repetition == "REPEATED":
            rep_defs.append(level)
    rows = []
    it = iter(values)
    depth = len(rep_defs)
    stack = []
    for d, r in zip(defs.tolist(), reps.tolist()):
        leaf = next(it) if d == max_def else None
        if depth == 0:
            rows.append(leaf)
            continue
        if r == 0:
            root = []
            rows.append(root if d >= rep_defs[0] - 1 else None)
            stack = [root]
            if d < rep_defs[0]:
                continue  # an empty (or null) list
        else:
            stack = stack[:r]
        for j in range(len(stack), depth):
            if d >= rep_defs[j] - 1:
                inner = []
                stack[-1].append(inner)
                stack.append(inner)
                if d < rep_defs[j]:
                    break
            else:
                stack[-1].append(None)
                break
        else:
            stack[-1].append(leaf)
    return rows


@dataclass
class ParquetTable:
    num_rows: int
    columns: dict
    metadata: dict


def read_parquet(path):
    """Reads a whole Parquet file: {column name: list of row values}, and its key-value metadata."""
    with open(path, "rb") as f:
        buf = memoryview(f.read())
    if bytes(buf[:4]) != b"PAR1" or bytes(buf[-4:]) != b"PAR1":
        raise ValueError(f"{path}: not a Parquet file")
    (footer_len,) = struct.unpack_from("<I", buf, len(buf) - 8)
    meta = _Thrift(buf, len(buf) - 8 - footer_len).struct()
    root = _schema_tree(meta[2])
    kv = {e[1].decode(): e.get(2, b"").decode() for e in meta.get(5, [])}
    columns = {top.name: [] for top in root.children}
    for group in meta.get(4, []):
        chunks = {tuple(p.decode() for p in c[3][3]): c[3] for c in group[1]}
        for top in root.children:
            leaves = list(_leaves(top, []))
            assembled = {}
            for path in leaves:
                key = tuple(n.name for n in path)
                assembled[key] = _assemble(*_read_chunk(buf, chunks[key], path))
            if top.children and top.converted != _LIST_CONVERTED:  # a struct: one dict per row
                if any(n.repetition == "REPEATED" for path in leaves for n in path):
                    raise ValueError(f"parquet: {top.name}: lists inside structs are not supported")
                names = [path[-1].name for path in leaves]
                cols = list(assembled.values())
                columns[top.name].extend(dict(zip(names, vals)) for vals in zip(*cols))
            else:
                if len(leaves) != 1:
                    raise ValueError(f"parquet: {top.name}: a list of structs is not supported")
                columns[top.name].extend(next(iter(assembled.values())))
    return ParquetTable(num_rows=meta[3], columns=columns, metadata=kv)


if __name__ == "__main__":
    import sys

    t = read_parquet(sys.argv[1])
    print(f"{t.num_rows} rows")
    for name, values in t.columns.items():
        v = values[0]
        if isinstance(v, dict):
            v = {k: (f"<{len(x)} bytes>" if isinstance(x, bytes) else x) for k, x in v.items()}
        print(f"  {name}: {v}")
    if "huggingface" in t.metadata:
        print("  huggingface features:", ", ".join(json.loads(t.metadata["huggingface"])["info"]["features"]))
