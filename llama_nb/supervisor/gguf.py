"""Just enough of the GGUF format to tell whether a file is whole and how big its KV cache gets.

Reads the header, the metadata and the tensor table (not the tensor data). Used by ``doctor`` and
by the supervisor's pre-start check, so a truncated download is caught before llama-server runs.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

# GGUF metadata value types -> struct format (scalars); 8 = string, 9 = array.
_SCALARS = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}
_STRING, _ARRAY = 8, 9


class GGUFError(ValueError):
    """The file is not a readable GGUF file; the message says what is wrong."""


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

    def kv_cache_bytes(self, ctx_size: int, bytes_per_value: int = 2) -> int | None:
        """Estimated KV cache size (f16) for ``ctx_size`` tokens, or ``None`` if the metadata lacks it."""
        n_layer = self.arch_value("block_count")
        n_embd = self.arch_value("embedding_length")
        n_head = self.arch_value("attention.head_count")
        n_head_kv = self.arch_value("attention.head_count_kv") or n_head
        if not (n_layer and n_embd and n_head):
            return None
        head_dim = n_embd // n_head
        return int(2 * n_layer * ctx_size * n_head_kv * head_dim * bytes_per_value)


def _read(fh: BinaryIO, fmt: str) -> Any:
    size = struct.calcsize("<" + fmt)
    data = fh.read(size)
    if len(data) != size:
        raise GGUFError("the file ends inside its header (it is cut short)")
    return struct.unpack("<" + fmt, data)[0]


def _read_string(fh: BinaryIO) -> str:
    n = _read(fh, "Q")
    if n > 1 << 24:
        raise GGUFError(f"a metadata string claims {n} bytes: the header is damaged")
    data = fh.read(n)
    if len(data) != n:
        raise GGUFError("the file ends inside its header (it is cut short)")
    return data.decode("utf-8", errors="replace")


def _read_value(fh: BinaryIO, vtype: int, keep: bool) -> Any:
    if vtype in _SCALARS:
        return _read(fh, _SCALARS[vtype])
    if vtype == _STRING:
        return _read_string(fh)
    if vtype == _ARRAY:
        item_type, count = _read(fh, "I"), _read(fh, "Q")
        if count > 1 << 26:
            raise GGUFError(f"a metadata array claims {count} items: the header is damaged")
        if item_type in _SCALARS and not keep:
            size = struct.calcsize("<" + _SCALARS[item_type]) * count
            fh.seek(size, 1)
            return None
        values = [_read_value(fh, item_type, keep) for _ in range(count)]
        return values if keep else None
    raise GGUFError(f"unknown metadata type {vtype}: the header is damaged")


def read_gguf(path: Path) -> GGUFInfo:
    """Parse ``path``'s header and tensor table. Raises :class:`GGUFError` or ``OSError``."""
    file_size = path.stat().st_size
    with open(path, "rb") as fh:
        magic = fh.read(4)
        if magic != b"GGUF":
            raise GGUFError(f"it starts with {magic!r}, not b'GGUF': this is not a GGUF model file")
        version = _read(fh, "I")
        if version not in (2, 3):
            raise GGUFError(f"GGUF version {version} is not one llama.cpp reads (2 or 3)")
        n_tensors, n_kv = _read(fh, "Q"), _read(fh, "Q")
        info = GGUFInfo(path=path, version=version, file_size=file_size, n_tensors=n_tensors)
        for _ in range(n_kv):
            key = _read_string(fh)
            vtype = _read(fh, "I")
            value = _read_value(fh, vtype, keep=not key.startswith("tokenizer."))
            if value is not None:
                info.metadata[key] = value
        last = 0
        for _ in range(n_tensors):
            _read_string(fh)
            n_dims = _read(fh, "I")
            fh.seek(8 * n_dims + 4, 1)
            last = max(last, _read(fh, "Q"))
        alignment = int(info.metadata.get("general.alignment", 32))
        pos = fh.tell()
        info.data_start = pos + (-pos % alignment)
        info.last_tensor_offset = last
        return info
