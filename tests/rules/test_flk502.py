"""FLK502 auth-decorator-order (rules/FLK502.md).

Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines. Each case is
a small project, the code under test (selected alone), and the (path, line) of every finding
expected for that code; an empty list means the case is a trap that must stay silent.
"""

from __future__ import annotations

import textwrap

import pytest

from rules._shared import CTRL, assert_catalog_case, catalog_params, fixed

# (code, description, files, expected findings as (path, line))
CASES = [
    ("FLK502", "auth above the route, misplaced only decorator silences FLK501", {CTRL: """
        from flask import Blueprint
        from app.auth import token_required

        bp = Blueprint("x", __name__)


        @token_required
        @bp.route("/a", methods=["POST"])
        def a():
            return {}
        """}, [(CTRL, 7)]),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)


# ---- fixes ------------------------------------------------------------------------------


def test_auth_decorators_move_below_the_route_with_their_comments(tmp_path):
    source = textwrap.dedent(
        """\
        from flask import Blueprint
        from app.auth import token_required, role_required

        bp = Blueprint("users", __name__)


        class Views:
            @token_required  # checks the JWT
            @role_required("admin")
            @bp.route("/users", methods=["POST"])
            def create(self):
                return {}
        """
    )
    out = fixed(tmp_path, "app/controllers/user_controller.py", source)
    assert out == source.replace(
        '    @token_required  # checks the JWT\n    @role_required("admin")\n    @bp.route("/users", methods=["POST"])\n',
        '    @bp.route("/users", methods=["POST"])\n    @token_required  # checks the JWT\n    @role_required("admin")\n',
    )
