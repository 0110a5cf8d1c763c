"""Skill-based routing: the agent for a call or a case.

An agent is *eligible* when they hold every required skill at least at the required level and their
current load is below their capacity. Among the eligible agents the choice is, in order (the
longest-idle agent among the least loaded, as in skills-based routing of contact centers, Gans, Koole
& Mandelbaum 2003):

1. the lowest load relative to capacity;
2. the smallest surplus of skill levels over the requirement (keep the most skilled agents free for
   the calls only they can take);
3. the longest idle time;
4. the smallest agent id (a stable tie-break).
"""

import dataclasses

import numpy as np


@dataclasses.dataclass(frozen=True)
class Agents:
    """The agents of a queue: ``levels`` is (agents x skills), 0 for a skill the agent lacks."""

    ids: np.ndarray
    levels: np.ndarray
    load: np.ndarray
    capacity: np.ndarray
    idle_seconds: np.ndarray

    @classmethod
    def from_arrays(cls, ids, levels, load, capacity, idle_seconds):
        ids = np.asarray(ids, dtype=np.int64).reshape(-1)
        levels = np.asarray(levels, dtype=np.float64)
        if levels.ndim != 2 or levels.shape[0] != len(ids):
            raise ValueError("levels must be (agents x skills), one row per agent")
        arrays = [np.asarray(x, dtype=np.float64).reshape(-1) for x in (load, capacity, idle_seconds)]
        if any(len(a) != len(ids) for a in arrays):
            raise ValueError("load, capacity and idle_seconds need one value per agent")
        if np.any(levels < 0) or any(np.any(a < 0) for a in arrays):
            raise ValueError("levels, loads, capacities and idle times must not be negative")
        return cls(ids, levels, *arrays)


def eligible(agents: Agents, required_levels) -> np.ndarray:
    """Mask of the agents who can take a contact needing ``required_levels`` (one per skill, 0 for a
    skill not needed) and have room for it."""
    required = np.asarray(required_levels, dtype=np.float64).reshape(-1)
    if required.shape != (agents.levels.shape[1],):
        raise ValueError(f"required_levels needs one value per skill ({agents.levels.shape[1]})")
    skilled = np.all(agents.levels >= required, axis=1)
    return skilled & (agents.load < agents.capacity)


def route(agents: Agents, required_levels) -> int | None:
    """The id of the agent for a contact (see the module's rules), or None when nobody is eligible."""
    required = np.asarray(required_levels, dtype=np.float64).reshape(-1)
    mask = eligible(agents, required)
    if not mask.any():
        return None
    index = np.flatnonzero(mask)
    relative_load = agents.load[index] / np.maximum(agents.capacity[index], 1e-12)
    surplus = (agents.levels[index] - required).clip(min=0).sum(axis=1)
    order = np.lexsort((agents.ids[index], -agents.idle_seconds[index], surplus, relative_load))
    return int(agents.ids[index[order[0]]])
