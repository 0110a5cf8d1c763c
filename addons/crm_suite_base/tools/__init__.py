from . import facts, pgcopy, xlsx
