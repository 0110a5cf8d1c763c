from . import facts, orderby, pgcopy, xlsx
