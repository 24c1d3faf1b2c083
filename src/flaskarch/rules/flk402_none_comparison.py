"""FLK402 none-comparison: `== None` on a column; the fix is `.is_(None)`."""

import re

from flaskarch.rules._comparison import SingletonComparison
from flaskarch.semantics import column_facts


class NoneComparison(SingletonComparison):
    code = "FLK402"
    name = "none-comparison"
    summary = "`== None`/`!= None` on an SQLAlchemy column expression."
    tags = ('sqlalchemy', 'correctness')
    precision = "very-high"
    singletons = frozenset({"None"})
    skips_library_models = True
    prefilter = re.compile(r"(?s)\A(?=.*[=!]=)(?=.*\b(?:None)\b)")  # both, anywhere; \A: tried once, not at every offset

    def fix_keeps_rows(self, column, pos, equality) -> bool:
        """SQLAlchemy compiles `col == None` to `col IS NULL` itself: the rewrite is the same SQL
        wherever it stands, provided `col` is known to be a column (not a relationship, whose
        `.is_not(None)` raises, nor a Python value, which has no `.is_`)."""
        facts = column_facts(self.ctx, column)
        return facts is not None and facts.orm == "sqlalchemy" and not facts.relationship
