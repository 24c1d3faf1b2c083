"""FLK503 raw-sql-formatting (rules/FLK503.md).

Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines. Each case is
a small project, the code under test (selected alone), and the (path, line) of every finding
expected for that code; an empty list means the case is a trap that must stay silent.
"""

from __future__ import annotations

import pytest

from conftest import EXT
from rules._shared import REPO, SVC, assert_catalog_case, catalog_params

# (code, description, files, expected findings as (path, line))
CASES = [
    # ---- must trigger ----------------------------------------------------------------------
    ("FLK503", "f-string passed straight to text(), executed later: one finding, at text(", {**EXT, REPO: """
        from sqlalchemy import text
        from app.extensions import db


        def find_by_email(email):
            stmt = text(f"SELECT * FROM users WHERE email = '{email}'")
            return db.session.execute(stmt).first()
        """}, [(REPO, 6)]),
    ("FLK503", "percent formatting straight into a DB-API cursor", {REPO: """
        import psycopg2


        def delete_user(dsn, user_id):
            conn = psycopg2.connect(dsn)
            cursor = conn.cursor()
            cursor.execute("DELETE FROM users WHERE public_id = '%s'" % user_id)
            conn.commit()
        """}, [(REPO, 7)]),
    ("FLK503", ".format() assigned to a variable, then executed: reported at the execute call", {**EXT, REPO: """
        from app.extensions import db


        class UserRepository:
            def search(self, name):
                query = "SELECT id, name FROM users WHERE name LIKE '%{}%'".format(name)
                rows = db.session.execute(
                    query
                ).fetchall()
                return rows
        """}, [(REPO, 7)]),
    ("FLK503", "+ concatenation on an engine connection opened in a with block", {REPO: """
        from sqlalchemy import create_engine

        engine = create_engine("postgresql://localhost/app")


        def rename(table, new_name):
            with engine.connect() as conn:
                conn.execute("ALTER TABLE " + table + " RENAME TO " + new_name)
        """}, [(REPO, 8)]),
    ("FLK503", "executemany and exec_driver_sql", {REPO: """
        import sqlite3


        def bulk(path, table, rows, engine, col):
            con = sqlite3.connect(path)
            con.executemany(f"INSERT INTO {table} VALUES (?, ?)", rows)
            with engine.connect() as conn:
                conn.exec_driver_sql(f"UPDATE t SET {col} = 1")
        """}, [(REPO, 6), (REPO, 8)]),
    ("FLK503", "Model.query.filter(text(...)) with sa.text and db.text", {**EXT, REPO: """
        import sqlalchemy as sa
        from app.extensions import db
        from app.models.user import User


        def active(order, status):
            first = User.query.filter(sa.text("status = '%s'" % status)).all()
            second = User.query.order_by(db.text(f"{order} DESC")).all()
            return first, second
        """}, [(REPO, 7), (REPO, 8)]),
    ("FLK503", "aliased import of text, relative import of db", {**EXT, "app/repositories/report_repository.py": """
        from sqlalchemy.sql import text as sql_text
        from ..extensions import db


        def totals(region):
            return db.session.execute(sql_text(
                "SELECT SUM(amount) FROM sales WHERE region = '" + region + "'"
            )).scalar()
        """}, [("app/repositories/report_repository.py", 6)]),
    ("FLK503", "query grown with += in branches, cursor from a with block", {SVC: """
        def search(conn, name, active):
            sql = "SELECT * FROM users WHERE 1 = 1"
            if active:
                sql += " AND active = true"
            if name:
                sql += f" AND name = '{name}'"
            with conn.cursor() as cur:
                cur.execute(sql)
                return cur.fetchall()
        """}, [(SVC, 8)]),
    ("FLK503", "either branch may reach the sink", {REPO: """
        def find(cursor, user_id=None):
            if user_id:
                sql = f"SELECT * FROM orders WHERE user_id = {user_id}"
            else:
                sql = "SELECT * FROM orders"
            cursor.execute(sql)
        """}, [(REPO, 6)]),
    ("FLK503", "nested function, unknown receiver, SQL-looking text", {REPO: """
        def make_purger(op):
            def purge(days):
                op.execute(f"DELETE FROM audit_log WHERE created < now() - interval '{days} days'")
            return purge
        """}, [(REPO, 3)]),
    ("FLK503", "dialect statement in capitals on a cursor parameter", {REPO: """
        def cancel_query(cursor, cancel_query_id):
            cursor.execute(f"KILL CONNECTION {cancel_query_id}")
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE pid='{cancel_query_id}'"
            )
        """}, [(REPO, 2), (REPO, 3)]),
    ("FLK503", "a reassigned variable is judged by what reaches each sink", {REPO: """
        def reset(cursor, table):
            sql = f"TRUNCATE {table}"
            cursor.execute(sql)
            sql = "SELECT 1"
            cursor.execute(sql)
        """}, [(REPO, 3)]),
    ("FLK503", "placeholders joined from request values are not placeholders", {REPO: """
        from sqlalchemy import text


        def by_names(session, names):
            quoted = ", ".join(f"'{n}'" for n in names)
            return session.execute(text(f"SELECT * FROM users WHERE name IN ({quoted})")).all()
        """}, [(REPO, 6)]),
    # ---- must NOT trigger --------------------------------------------------------------------
    ("FLK503", "bound parameters", {**EXT, REPO: """
        from sqlalchemy import text
        from app.extensions import db


        def find_by_email(email, cursor):
            stmt = text("SELECT * FROM users WHERE email = :email")
            cursor.execute("SELECT * FROM users WHERE email = %s", (email,))
            return db.session.execute(stmt, {"email": email}).first()
        """}, []),
    ("FLK503", "formatting made only of literals and constants", {REPO: """
        from sqlalchemy import text

        TABLE = "users"
        COLUMNS = "id, name"


        def listing(session, cursor):
            session.execute(text(f"SELECT {COLUMNS} FROM {TABLE}"))
            cursor.execute("SELECT * FROM " + TABLE + " WHERE deleted_at IS NULL")
            cursor.execute("SELECT %s FROM users" % "id")
            cursor.execute("SELECT * FROM {} LIMIT {}".format(TABLE, 10))
        """}, []),
    ("FLK503", "identifiers from sql-identifier-allowlist", {
        "pyproject.toml": '[tool.flaskarch]\nsql-identifier-allowlist = ["TABLE", "AUDIT_TABLE"]\n',
        REPO: """
        from flask import current_app
        from sqlalchemy import text
        from app.tables import TABLE


        def audit(session):
            session.execute(text(f"SELECT * FROM {TABLE}"))
            session.execute(text(f"DELETE FROM {current_app.config.AUDIT_TABLE} WHERE id = :id"), {"id": 1})
        """}, []),
    ("FLK503", "numbers, numeric conversions, ASC/DESC choice, placeholder lists", {REPO: """
        def page(cursor, ids, limit, offset, ascending):
            marks = ", ".join(["%s"] * len(ids))
            direction = "ASC" if ascending else "DESC"
            cursor.execute(f"SELECT * FROM t WHERE id IN ({marks}) ORDER BY id {direction}", ids)
            cursor.execute("SELECT * FROM t LIMIT %d OFFSET %d" % (limit, offset))
            cursor.execute(f"SELECT * FROM t LIMIT {limit:d} OFFSET {int(offset)}")
            named = ", ".join(f":id{i}" for i in range(len(ids)))
            cursor.execute(f"SELECT * FROM t WHERE id IN ({named})")
        """}, []),
    ("FLK503", "psycopg2 sql composition and quoting helpers", {REPO: """
        from psycopg2 import sql
        from psycopg2.extensions import quote_ident


        def count(conn, table, column):
            cur = conn.cursor()
            cur.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            query = sql.SQL("SELECT {} FROM {}").format(sql.Identifier(column), sql.Identifier(table))
            cur.execute(query)
            cur.execute(f"SELECT max({quote_ident(column, cur)}) FROM t")
            name = conn.dialect.identifier_preparer.quote(table)
            cur.execute(f"SELECT * FROM {name}")
        """}, []),
    ("FLK503", "execute on non-database objects with non-SQL strings", {SVC: """
        from concurrent.futures import ThreadPoolExecutor


        def run(job, executor, task_runner):
            executor.execute(f"run {job}")
            task_runner.execute("build " + job)
            task_runner.execute(f"install {job} --upgrade")
        """}, []),
    ("FLK503", "an unrelated text() and logging of SQL text", {SVC: """
        import logging
        from app.notifications import text

        logger = logging.getLogger(__name__)


        def notify(user, phone):
            text(phone, f"Hello {user.name}, your order shipped")
            logger.info(f"SELECT * FROM users WHERE id = {user.id}")
        """}, []),
    ("FLK503", "a query received from elsewhere extended with literal clauses", {REPO: """
        class Backend:
            def _fetchall(self, cursor, query, vars, limit=None):
                if limit:
                    query += " LIMIT %(limit)s"
                cursor.execute(query, vars)
                cursor.execute(query + " ORDER BY id", vars)
                cursor.execute(f"{self.base_query} WHERE id = %(id)s", vars)
                return cursor.fetchall()
        """}, []),
    ("FLK503", "extending a received query with a formatted value still counts", {REPO: """
        def with_owner(cursor, query, owner):
            query += f" AND owner = '{owner}'"
            cursor.execute(query)
            cursor.execute(query + " AND name = '" + owner + "'")
        """}, [(REPO, 3), (REPO, 4)]),
    ("FLK503", "loop over a literal list of table names, __tablename__", {REPO: """
        from app.models.user import User


        def destroy(conn):
            cursor = conn.cursor()
            for table in ["alerts", "blackouts", "users"]:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(f"DELETE FROM {User.__tablename__}")
        """}, []),
    ("FLK503", "enum members (project enum base) in partial-index predicates: code constants", {
        **EXT,
        "app/util/enums.py": """
        from enum import IntEnum


        class RichIntEnum(IntEnum):
            @classmethod
            def choices(cls):
                return [(m.value, m.name) for m in cls]
        """,
        "app/models/request.py": """
        from app.extensions import db
        from app.util.enums import RichIntEnum


        class RequestState(RichIntEnum):
            pending = 0
            accepted = 1


        class MoveRequest(db.Model):
            __tablename__ = "move_requests"
            __table_args__ = (
                db.Index(None, "event_id", unique=True,
                         postgresql_where=db.text(f"state = {RequestState.pending}")),
                db.Index(None, "moderator_id",
                         postgresql_where=db.text(f"state != {RequestState.accepted.value}")),
                db.Index(None, "event_id", "moderator_id", unique=True,
                         postgresql_where=db.text("(state = {s.pending.value})".format(s=RequestState))),
            )
            id = db.Column(db.Integer, primary_key=True)
        """}, []),
    ("FLK503", "self.CONSTANT from the class body; rebound from a parameter it counts", {REPO: """
        import sqlite3


        class ExpireCache:
            TABLE_PREFIX: str = "CACHE-TABLE"
            JOURNAL_MODE = "WAL"
            table = "cache"

            def __init__(self, path, table):
                self.db = sqlite3.connect(path)
                self.table = table

            def table_names(self):
                sql = f"SELECT value FROM properties WHERE name LIKE '{self.TABLE_PREFIX}%%'"
                self.db.execute(f"PRAGMA journal_mode={self.JOURNAL_MODE}")
                return [r[0] for r in self.db.execute(sql).fetchall()]

            def clear(self):
                self.db.execute(f"DELETE FROM {self.table}")
        """}, [(REPO, 19)]),
    ("FLK503", "a parameter's .value and an attribute of an unknown imported name still count", {REPO: """
        from app.settings import Limits


        def purge(cursor, state):
            cursor.execute(f"DELETE FROM jobs WHERE state = {state.value}")
            cursor.execute(f"DELETE FROM jobs LIMIT {Limits.batch}")
        """}, [(REPO, 5), (REPO, 6)]),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)


def test_positions_are_at_the_sink_call(project):
    found = project({**EXT, REPO: """
        import sqlalchemy as sa
        from app.extensions import db


        def find(name, cursor):
            stmt = sa.text(f"SELECT * FROM users WHERE name = '{name}'")
            db.session.execute(stmt)
            sql = "SELECT * FROM users WHERE name = '%s'" % name
            result = cursor.execute(sql)
            return result
        """}, select=("FLK503",))
    assert [(line, col) for _, line, col, _ in found] == [(6, 12), (9, 14)]


def test_message_names_the_formatting_and_the_fix(tmp_path):
    from conftest import check, write_project

    write_project(tmp_path, {REPO: """
        def find(cursor, name):
            cursor.execute("SELECT * FROM users WHERE name = '{}'".format(name))
        """})
    (finding,) = check(tmp_path, select=("FLK503",)).findings
    assert "`.format()`" in finding.message
    assert "bound parameters" in finding.message
