"""FLK202 misplaced-module (rules/FLK202.md).

Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines. Each case is
a small project, the code under test (selected alone), and the (path, line) of every finding
expected for that code; an empty list means the case is a trap that must stay silent. The rule
judges the path alone (1:1), so the files' contents hardly matter.
"""

from __future__ import annotations

import pytest

from rules._shared import assert_catalog_case, catalog_params

ROUTE = """
from flask import Blueprint

user_bp = Blueprint("user", __name__, url_prefix="/user")
"""
SERVICE = """
class UserService:
    def list_users(self):
        return []
"""

# (code, description, files, expected findings as (path, line))
CASES = [
    ("FLK202", "a route module in services/, a service module in routes/", {
        "services/user_route.py": ROUTE,
        "routes/user_service.py": SERVICE,
        "routes/feature_route.py": ROUTE,
        "services/feature_service.py": SERVICE,
    }, [("services/user_route.py", 1), ("routes/user_service.py", 1)]),
    ("FLK202", "mscr layout: repository in controllers/, schema in models/, model in schemas/", {
        "app/controllers/user_repository.py": "class UserRepository:\n    pass\n",
        "app/models/user_schemas.py": "from marshmallow import Schema\n\n\nclass UserSchema(Schema):\n    pass\n",
        "app/schemas/user_model.py": "class User:\n    pass\n",
        "app/repositories/user_repo.py": "class UserRepository:\n    pass\n",
    }, [("app/controllers/user_repository.py", 1), ("app/models/user_schemas.py", 1),
        ("app/schemas/user_model.py", 1)]),
    ("FLK202", "every controller suffix is at home in every controller folder", {
        "app/views/user_routes.py": ROUTE,
        "app/controllers/user_views.py": ROUTE,
        "app/resources/user_resource.py": ROUTE,
        "app/endpoints/user_route.py": ROUTE,
        "app/blueprints/user_controller.py": ROUTE,
        "app/repos/user_repository.py": "x = 1\n",
        "app/repository/user_repo.py": "x = 1\n",
        "app/models/user_models.py": "x = 1\n",
        "app/schemas/user_schema.py": "x = 1\n",
    }, []),
    ("FLK202", "the nearest layer folder decides", {
        "app/routes/admin/user_service.py": SERVICE,
        "app/services/routes/user_route.py": ROUTE,
    }, [("app/routes/admin/user_service.py", 1)]),
    ("FLK202", "a bare layer name is no suffix: routes/service.py is not this rule's", {
        "routes/service.py": SERVICE,
        "services/routes.py": ROUTE,
        "controllers/models.py": "x = 1\n",
    }, []),
    ("FLK202", "a file in no layer folder, and a capitalised suffix", {
        "app/user_service.py": SERVICE,
        "helpers/user_route.py": ROUTE,
        "services/User_Route.py": ROUTE,
    }, [("services/User_Route.py", 1)]),
    ("FLK202", "api/ is a controller folder only when it holds no layer folder", {
        "api/routes/user_route.py": ROUTE,
        "api/services/user_service.py": SERVICE,
        "api/helper/user_service.py": SERVICE,  # api/ is the application root: no layer
        "v2/api/user_service.py": SERVICE,  # api/ with no layer folder: a controller folder
    }, [("v2/api/user_service.py", 1)]),
    ("FLK202", "an excluded tests/ folder, and __init__/suffix-only names", {
        "tests/services/user_route.py": ROUTE,
        "services/_route.py": "x = 1\n",
        "services/__init__.py": "",
    }, []),
    ("FLK202", "a [tool.flaskarch.layers] glob says what the file is", {
        "pyproject.toml": '[tool.flaskarch.layers]\ncontroller = ["app/services/*_route.py"]\n',
        "app/services/webhook_route.py": ROUTE,
        "app/routes/user_service.py": SERVICE,
    }, [("app/routes/user_service.py", 1)]),
    ("FLK202", "default-layers = false: folders and suffixes mean nothing", {
        "pyproject.toml": "[tool.flaskarch]\ndefault-layers = false\n",
        "services/user_route.py": ROUTE,
    }, []),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)


@pytest.mark.parametrize("preset", ["backant", "mscr", "factory"])
def test_every_preset_at_1_1_and_flk201_stays_quiet(project, preset):
    """On in all presets, at 1:1; FLK201 does not also report the misplaced file."""
    found = project({
        "routes/user_route.py": ROUTE,
        "controllers/user_controller.py": ROUTE,
        "services/user_route.py": ROUTE,
        "repositories/user_service.py": SERVICE,
    }, preset=preset)
    mine = sorted((path, line, col) for path, line, col, code in found if code == "FLK202")
    assert mine == [("repositories/user_service.py", 1, 1), ("services/user_route.py", 1, 1)]
    assert not [f for f in found if f[3] == "FLK201" and f[0] in ("services/user_route.py", "repositories/user_service.py")]


def test_message_names_the_folder_and_the_rename(tmp_path):
    from conftest import check, write_project

    write_project(tmp_path, {"routes/feature_route.py": ROUTE, "services/user_route.py": ROUTE})
    result = check(tmp_path, select=("FLK202",), preset="backant")
    [finding] = result.findings
    assert "`routes/`" in finding.message and "`user_service.py`" in finding.message
