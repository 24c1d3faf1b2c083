"""FLK203 blueprint-naming (rules/FLK203.md).

Table-driven cases for the page's rules: a module's one module-level Blueprint is named
`<feature>_bp`; a module that creates several is exempt. Each case is a small project, the code
under test (selected alone), and the (path, line) of every finding expected for it; an empty list
means the case is a trap that must stay silent. The rename fix is tested with the fix workflow at
the end of test_fixes.py (module and blueprint renames) and with the page's Fixed examples.
"""

from __future__ import annotations

import pytest

from rules._shared import CTRL, assert_catalog_case, catalog_params

# (code, description, files, expected findings as (path, line))
CASES = [
    ("FLK203", "a package's __init__.py: named after the package", {
        "app/api/__init__.py": """
        from flask import Blueprint

        api_bp = Blueprint("api", __name__)
        """,
        "app/auth/__init__.py": """
        from flask import Blueprint as BP
        from flask import Blueprint

        bp = Blueprint("auth", __name__)
        """}, [("app/auth/__init__.py", 4)]),
    ("FLK203", "a bare layer module is named after its package too", {
        "app/main/routes.py": """
        from flask import Blueprint

        main_bp = Blueprint("main", __name__)
        """,
        "app/auth/views.py": """
        from flask import Blueprint

        auth = Blueprint("auth", __name__)
        """}, [("app/auth/views.py", 3)]),
    ("FLK203", "mscr: bp in a controller, at the target", {CTRL: """
        from flask import Blueprint

        bp = Blueprint("users", __name__, url_prefix="/users")
        """}, [(CTRL, 3)]),
    ("FLK203", "backant: auth_blueprint in routes/auth_route.py", {"routes/auth_route.py": """
        from flask import Blueprint

        auth_blueprint = Blueprint("auth", __name__)
        """}, [("routes/auth_route.py", 3)]),
    ("FLK203", "flask.Blueprint through the module", {CTRL: """
        import flask

        api = flask.Blueprint("users", __name__)
        """}, [(CTRL, 3)]),
    ("FLK203", "the feature's name; several blueprints in one module are exempt", {
        CTRL: """
        from flask import Blueprint

        user_bp = Blueprint("users", __name__)
        """,
        "app/controllers/admin_controller.py": """
        from flask import Blueprint

        pages = Blueprint("admin_pages", __name__)
        api = Blueprint("admin_api", __name__)
        """}, []),
    ("FLK203", "a Blueprint made inside a function is not module-level", {CTRL: """
        from flask import Blueprint


        def make():
            bp = Blueprint("users", __name__)
            return bp
        """}, []),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)
