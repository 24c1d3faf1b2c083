"""FLK402 none-comparison: `== None` on a column; the fix is `.is_(None)`."""

import re

from flaskarch.rules._comparison import SingletonComparison


class NoneComparison(SingletonComparison):
    code = "FLK402"
    name = "none-comparison"
    summary = "`== None`/`!= None` on an SQLAlchemy column expression."
    tags = ('sqlalchemy', 'correctness')
    precision = "very-high"
    singletons = frozenset({"None"})
    prefilter = re.compile(r"(?s)\A(?=.*[=!]=)(?=.*\b(?:None)\b)")  # both, anywhere; \A: tried once, not at every offset
