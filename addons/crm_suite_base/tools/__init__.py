from . import facts, orderby, pgcopy, ratings, xlsx
