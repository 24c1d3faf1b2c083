"""FLK401 boolean-comparison: `== True/False` on a column; the fix is `.is_()`, never `is`."""

import re

from flaskarch.rules._comparison import SingletonComparison


class BooleanComparison(SingletonComparison):
    code = "FLK401"
    name = "boolean-comparison"
    summary = "`== True`/`== False` on an SQLAlchemy column expression."
    tags = ('sqlalchemy', 'correctness')
    precision = "very-high"
    singletons = frozenset({"True", "False"})
    prefilter = re.compile(r"(?s)\A(?=.*[=!]=)(?=.*\b(?:True|False)\b)")  # both, anywhere; \A: tried once, not at every offset
