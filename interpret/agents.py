"""Agent names: matching a name as printed to the agents a chapter covers, and finding mentions."""

from __future__ import annotations

import re
from collections.abc import Sequence

SALT_WORDS = frozenset(
    {"hcl", "hydrochloride", "sodium", "monohydrate", "anhydrous", "potassium", "hyclate", "mesylate"}
)
_WORD = re.compile(r"[a-z0-9]+")


def name_key(name: str) -> str:
    """Comparison key: lower case, letters and digits only, salt words dropped."""
    words = [w for w in _WORD.findall(name.lower()) if w not in SALT_WORDS]
    return "".join(words)


def match_agent(name: str, agents: Sequence[str], *, qualified: bool = True) -> str | None:
    """The agent ``name`` refers to: same key, else one key containing the other (5+ letters).

    With ``qualified`` False, a name *longer* than the agent's ("oral gold preparations" for "Gold
    Preparations") does not match: it is the agent plus qualifiers, a scope.
    """
    key = name_key(name)
    if not key:
        return None
    for agent in agents:
        if name_key(agent) == key:
            return agent
    if len(key) < 5:
        return None
    best: str | None = None
    for agent in agents:
        other = name_key(agent)
        if (
            len(other) >= 5
            and (key in other or (qualified and other in key))
            and (best is None or len(other) > len(name_key(best)))
        ):
            best = agent
    return best


def _mention_pattern(name: str) -> re.Pattern[str] | None:
    words = [w for w in _WORD.findall(name.lower()) if w not in SALT_WORDS]
    if not words:
        return None
    return re.compile(r"\b" + r"[\s\-]+".join(re.escape(w) for w in words) + r"\b", re.IGNORECASE)


class MentionFinder:
    """Finds the agent named last in a text (longest name wins at the same place)."""

    def __init__(self, names: dict[str, list[str]]) -> None:
        # agent -> the spellings to look for
        self._patterns: list[tuple[str, re.Pattern[str]]] = []
        for agent, spellings in names.items():
            for spelling in spellings:
                pattern = _mention_pattern(spelling)
                if pattern is not None:
                    self._patterns.append((agent, pattern))

    def last(self, text: str) -> str | None:
        best: tuple[int, int, str] | None = None  # (end, length, agent)
        for agent, pattern in self._patterns:
            for m in pattern.finditer(text):
                candidate = (m.end(), m.end() - m.start(), agent)
                if best is None or candidate[:2] > best[:2]:
                    best = candidate
        return best[2] if best else None

    def all(self, text: str) -> list[str]:
        """Agents named in ``text``, in order of first mention; a name inside a longer one is not counted."""
        spans: list[tuple[int, int, str]] = []
        for agent, pattern in self._patterns:
            spans.extend((m.start(), m.end(), agent) for m in pattern.finditer(text))
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        found: list[str] = []
        covered_to = -1
        for start, end, agent in spans:
            if start < covered_to:
                continue
            covered_to = end
            if agent not in found:
                found.append(agent)
        return found
