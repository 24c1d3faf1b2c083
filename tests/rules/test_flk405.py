"""FLK405 enum-not-str (rules/FLK405.md).

Table-driven cases for every "triggers" and "must NOT trigger" line of the catalog entry
(each case: a small project and the exact (path, line, column) of every finding expected under
the case's preset, an empty list being a trap that must stay silent), then exact fix outputs
run through the CLI.
"""

from __future__ import annotations

import pytest

from rules._shared import MODEL, SCHEMA, SVC, assert_preset_case, dedent, fix, fixable, preset_params

# (code, description, files, expected findings as (path, line, column), preset)
CASES = [
    # ---- FLK403: Model.query ----------------------------------------------------------
    # ---- FLK403: session.query() ------------------------------------------------------
    # ---- FLK403: must NOT trigger -----------------------------------------------------
    # ---- FLK404: triggers -------------------------------------------------------------
    # ---- FLK404: must NOT trigger -----------------------------------------------------
    # ---- FLK405: triggers -------------------------------------------------------------
    ("FLK405", "from enum import Enum in a model module, at the class name", {MODEL: """
        from enum import Enum


        class Status(Enum):
            ACTIVE = "active"
        """}, [(MODEL, 4, 7)], "mscr"),
    ("FLK405", "import enum / enum.Enum, and an alias, in a schema module", {SCHEMA: """
        import enum
        from enum import Enum as PyEnum


        class Role(enum.Enum):
            ADMIN = "admin"


        class Level(PyEnum):
            LOW = 1
        """}, [(SCHEMA, 5, 7), (SCHEMA, 9, 7)], "mscr"),
    ("FLK405", "a subclass of a project enum base in another module", {
        "app/enums.py": (
            "from enum import Enum\n\n\nclass ChoiceEnum(Enum):\n    @classmethod\n"
            "    def choices(cls):\n        return [m.value for m in cls]\n"
        ),
        "app/schemas/order_schema.py": """
        from app.enums import ChoiceEnum


        class OrderStatus(ChoiceEnum):
            OPEN = "open"
        """}, [("app/schemas/order_schema.py", 4, 7)], "mscr"),
    # ---- FLK405: must NOT trigger -----------------------------------------------------
    ("FLK405", "str mixins, StrEnum, IntEnum, Flag, IntFlag, (int, Enum)", {MODEL: """
        import enum
        from enum import Enum, Flag, IntEnum, IntFlag, StrEnum


        class A(str, Enum):
            X = "x"


        class B(StrEnum):
            X = "x"


        class C(IntEnum):
            X = 1


        class D(Flag):
            X = 1


        class E(enum.IntFlag):
            X = 1


        class F(int, enum.Enum):
            X = 1
        """}, [], "mscr"),
    ("FLK405", "SQLAlchemy's and graphene's Enum are not enum.Enum", {MODEL: """
        import graphene
        import sqlalchemy as sa
        from sqlalchemy import Enum


        class LowerEnum(Enum):
            pass


        class UpperEnum(sa.Enum):
            pass


        class Episode(graphene.Enum):
            NEWHOPE = 4
        """}, [], "mscr"),
    ("FLK405", "a subclass of a project (str, Enum) base", {
        "app/enums.py": "from enum import Enum\n\n\nclass StrChoice(str, Enum):\n    pass\n",
        MODEL: """
        from app.enums import StrChoice


        class Status(StrChoice):
            OPEN = "open"
        """}, [], "mscr"),
    ("FLK405", "enums outside model and schema modules", {SVC: """
        from enum import Enum


        class Format(Enum):
            CSV = "csv"
        """, "app/enums.py": "from enum import Enum\n\n\nclass Kind(Enum):\n    A = 'a'\n"}, [], "mscr"),
    ("FLK405", "only in the mscr preset", {MODEL: """
        from enum import Enum


        class Status(Enum):
            ACTIVE = "active"
        """}, [], "factory"),
]


@pytest.mark.parametrize("code,files,expected,preset", preset_params(CASES))
def test_catalog_case(project, code, files, expected, preset):
    assert_preset_case(project, code, files, expected, preset)


# ---- fixes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source,expected",
    [
        (
            """
            import enum


            class Status(enum.Enum):  # lifecycle
                ACTIVE = "active"
                ARCHIVED = 'archived'
                LONG = ("long"
                        " name")
                _ignore_ = ["x"]

                def label(self):
                    return self.value.title()
            """,
            """
            import enum


            class Status(str, enum.Enum):  # lifecycle
                ACTIVE = "active"
                ARCHIVED = 'archived'
                LONG = ("long"
                        " name")
                _ignore_ = ["x"]

                def label(self):
                    return self.value.title()
            """,
        ),
        (
            """
            from enum import Enum as E


            class Color(
                # a comment before the base
                E,
            ): RED = "red"; BLUE = "blue"
            """,
            """
            from enum import Enum as E


            class Color(
                # a comment before the base
                str, E,
            ): RED = "red"; BLUE = "blue"
            """,
        ),
    ],
)
def test_enum_fix_adds_str_first(tmp_path, source, expected):
    assert fix(tmp_path, "FLK405", {MODEL: dedent(source)}, MODEL) == dedent(expected)


@pytest.mark.parametrize(
    "body",
    [
        "class Level(Enum):\n    LOW = 1\n    HIGH = 'high'\n",
        "class Level(Enum):\n    LOW = auto()\n",
        "class Level(Enum):\n    LOW = f'{PREFIX}low'\n",
        "class Level(Enum):\n    LOW = PREFIX\n",
        "class Level(Enum):\n    LOW = b'low'\n",
        "class Level(Enum):\n    LOW, HIGH = 'low', 'high'\n",
        "class Level(Enum):\n    def label(self):\n        return 'x'\n",
        "str = bytes\n\n\nclass Level(Enum):\n    LOW = 'low'\n",
    ],
)
def test_enum_without_string_members_has_no_fix(tmp_path, body):
    source = "from enum import Enum, auto\n\nPREFIX = 'p'\n\n\n" + body
    assert fix(tmp_path, "FLK405", {MODEL: source}, MODEL) == source
    assert [has for _, has in fixable(tmp_path, "FLK405")] == [False]
