"""FLK201 module-naming (rules/FLK201.md).

Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines. Each case is
a small project, the code under test (selected alone), and the (path, line) of every finding
expected for that code; an empty list means the case is a trap that must stay silent.

The module rename fix is tested with the fix workflow at the end of test_fixes.py.
"""

from __future__ import annotations

import pytest

from rules._shared import assert_catalog_case, catalog_params

# (code, description, files, expected findings as (path, line))
CASES = [
    ("FLK201", "backant: services/ file without suffix; views/ needs none", {
        "routes/user_route.py": "x = 1\n",
        "services/mailer.py": "x = 1\n",
        "views/home.py": "x = 1\n",
        "services/user_route.py": "x = 1\n",  # another layer's suffix: FLK202's business
        "repositories/Repository.py": "x = 1\n",
        "services/base.py": "x = 1\n",
    }, [("services/mailer.py", 1)]),
    ("FLK201", "factory preset has no naming rule", {"app/services/mailer.py": "x = 1\n"}, []),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)
