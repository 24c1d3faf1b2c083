"""Digests of facts: per module (cache entries) and of the whole project (result epochs)."""

from __future__ import annotations

import hashlib
import pickle

from flaskarch.facts.model import ModuleFacts


def facts_digest(facts: ModuleFacts) -> str:
    return hashlib.sha256(pickle.dumps(facts, protocol=5)).hexdigest()[:16]



def project_digest(fact_digests: dict[str, str], versions: dict) -> str:
    """Digest of every module's name and facts and of the dependency versions: while it is
    unchanged, every answer is unchanged, so a cached result needs no replay of its answers."""
    h = hashlib.sha256(repr(sorted((k, v.as_key()) for k, v in versions.items())).encode())
    for name in sorted(fact_digests):
        h.update(f"{name}:{fact_digests[name]};".encode())
    return h.hexdigest()[:16]
