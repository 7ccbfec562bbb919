"""Near-duplicate detection for copied articles (a wire story republished with
light edits). Pure: no Django import.

Each text becomes a MinHash signature over word 5-gram shingles (datasketch);
the signature is cut into bands whose hashes a database can index, so a new
article finds the articles it may copy without comparing against all of them
(locality-sensitive hashing). Candidates are then confirmed by the estimated
Jaccard similarity of their shingle sets.
"""

from __future__ import annotations

import hashlib

import numpy as np
from datasketch import MinHash

from factcheck.crosscheck.words import tokens

SHINGLE_WORDS = 5
NUM_PERM = 128
BANDS = 32
ROWS_PER_BAND = NUM_PERM // BANDS
_SEED = 7
# Stored signatures are only comparable under one permutation scheme: fixed here.
SCHEME = "affine32"

# datasketch draws its permutations from the seed; one template keeps them fixed
# for the life of the process, and the seed keeps them fixed across processes.
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=SCHEME)


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    # The engine's tokenizer: shingles of its words (the stored signatures were made with the same cut).
    words = tokens(text)
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


def signature(text: str) -> list[int]:
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, permutations=_TEMPLATE.permutations, scheme=SCHEME)
    minhash.update_batch(list(shingles(text)))
    return [int(value) for value in minhash.hashvalues]


def band_keys(sig: list[int]) -> list[str]:
    """One key per band: equal keys mean the two signatures agree on that whole band."""
    keys = []
    for band in range(BANDS):
        rows = sig[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND]
        digest = hashlib.blake2b(np.asarray(rows, dtype=np.uint64).tobytes(), digest_size=8).hexdigest()
        keys.append(f"{band:02d}{digest}")
    return keys


def estimated_similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets."""
    if len(a) != len(b) or not a:
        return 0.0
    return float(np.mean(np.asarray(a, dtype=np.uint64) == np.asarray(b, dtype=np.uint64)))
