"""Entries components add to a resource's list or map input while the program's body runs.

Shared by the Python classes of both front ends (`aem_pulumi.dynamic`, `aem_pulumi.native`):
`MailService(networking=…, variables=…)` adds its rule and variables this way (issue 13).
"""

from __future__ import annotations

from typing import Any

import pulumi


class Additions:
    """Entries that components add to a list or map input of a resource while the program's
    body runs (`MailService(networking=…, variables=…)`, issue 13).

    The merged input resolves in an `apply`, which the SDK runs only once the program's body has
    returned, so every addition made during it is in; one made later is refused.
    """

    def __init__(self, what: str) -> None:
        self._what = what
        self._entries: list[tuple[str, Any]] = []
        self._sealed = False

    def add(self, key: str, value: Any) -> None:
        """Add one entry (`key` names it in a map; lists ignore it)."""
        if self._sealed:
            raise ValueError(f"{self._what}: too late to add {key}; add it in the program's body")
        self._entries.append((key, value))

    def merged_list(self, base: Any) -> pulumi.Output[Any]:
        """`base` (a list input) followed by the added entries."""
        return self._merged(base, lambda given, added: [*(given or []), *(v for _, v in added)])

    def merged_map(self, base: Any) -> pulumi.Output[Any]:
        """`base` (a map input) with the added entries (an added key wins)."""
        return self._merged(base, lambda given, added: {**(given or {}), **dict(added)})

    def _merged(self, base: Any, combine: Any) -> pulumi.Output[Any]:
        def seal(given: Any) -> Any:
            self._sealed = True
            merged = combine(given, self._entries)
            return pulumi.Output.from_input(merged) if merged or given is not None else None

        return pulumi.Output.from_input(base).apply(seal)
