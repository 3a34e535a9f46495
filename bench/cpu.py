"""CPU seconds used by process trees, from ``/proc`` (Linux), for the benches' reports:
how the CPUs were shared between the server, PostgreSQL and the other processes."""

from __future__ import annotations

import os
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, user + system CPU seconds) of one process, or None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # the name may hold spaces and brackets
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICKS


def tree_cpu_seconds(root: int) -> float:
    """CPU seconds of ``root`` and every live descendant (exited children are not counted,
    so call it while the processes run)."""
    table = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (found := _stat(int(entry.name))) is not None:
            table[int(entry.name)] = found
    total, frontier = 0.0, [root]
    while frontier:
        pid = frontier.pop()
        if pid in table:
            total += table[pid][1]
            frontier.extend(child for child, (parent, _) in table.items() if parent == pid)
    return total


def postmaster_pid(data_dir: Path) -> int:
    """The PostgreSQL cluster's postmaster (its backends are its children)."""
    return int((data_dir / "postmaster.pid").read_text().split("\n", 1)[0])


class CpuMeter:
    """CPU seconds of named process trees between :meth:`start` and :meth:`stop`."""

    def __init__(self, trees: dict[str, int]) -> None:
        self.trees = trees
        self.used: dict[str, float] = {}

    def start(self) -> None:
        self.used = {name: -tree_cpu_seconds(pid) for name, pid in self.trees.items()}

    def stop(self) -> None:
        for name, pid in self.trees.items():
            self.used[name] += tree_cpu_seconds(pid)

    def per_item_ms(self, items: int) -> str:
        """E.g. ``server 8.4 ms, postgres 1.6 ms`` of CPU per item."""
        return ", ".join(
            f"{name} {1000 * s / max(items, 1):.1f} ms" for name, s in self.used.items()
        )
