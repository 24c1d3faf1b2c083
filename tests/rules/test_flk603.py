"""FLK603 swallowed-exception (rules/FLK603.md).

Table-driven cases for the catalog's "triggers" and "must NOT trigger" lines: a broad handler
(`except:`, `except Exception:`, `except BaseException:`, also in a tuple) whose body has no
raise, no logging call (FLK506's definition), no abort(...) and no return of a value.
"""

from __future__ import annotations

import pytest

from rules._shared import CTRL, SVC, assert_catalog_case, catalog_params

CASES = [
    ("FLK603", "bare except, except Exception and BaseException with pass", {SVC: """
        def a(job):
            try:
                job.run()
            except:
                pass


        def b(job):
            try:
                job.run()
            except Exception:
                pass


        def c(job):
            try:
                job.run()
            except BaseException as exc:
                job.error = exc
        """}, [(SVC, 4), (SVC, 11), (SVC, 18)]),
    ("FLK603", "Exception inside a tuple, multi-line, and builtins.Exception", {SVC: """
        import builtins


        def load(path):
            try:
                return open(path).read()
            except (
                OSError,
                Exception,
            ):
                content = ""
            try:
                return open(path).read()
            except builtins.Exception:
                content = None
            return content
        """}, [(SVC, 7), (SVC, 14)]),
    ("FLK603", "a name assigned a tuple holding Exception", {SVC: """
        BROAD = (ValueError, Exception)


        def load(job):
            try:
                job.run()
            except BROAD:
                job.failed = True
        """}, [(SVC, 7)]),
    ("FLK603", "flash(str(e)) is no logging call", {CTRL: """
        from flask import flash, redirect, url_for
        from app.services import user_service


        def delete(user_id):
            try:
                user_service.delete(user_id)
            except Exception as e:
                flash(str(e), "danger")
            return redirect(url_for("users.index"))
        """}, [(CTRL, 8)]),
    ("FLK603", "cleanup in __del__, continue in a loop, bare return and return None", {SVC: """
        class Conn:
            def __del__(self):
                try:
                    self.close()
                except Exception:
                    pass


        def drain(queue):
            for item in queue:
                try:
                    item.send()
                except Exception:
                    continue


        def first(items):
            try:
                return items[0]
            except Exception:
                return


        def second(items):
            try:
                return items[1]
            except Exception:
                return None
        """}, [(SVC, 5), (SVC, 13), (SVC, 20), (SVC, 27)]),
    ("FLK603", "a logging call only in a nested function; a non-logger receiver", {SVC: """
        def run(job, results):
            try:
                job.run()
            except Exception as e:
                def report():
                    print(e)
                job.on_done = report
            try:
                job.run()
            except Exception as e:
                results.error(e)
        """}, [(SVC, 4), (SVC, 10)]),
    ("FLK603", "a broad handler after a narrow one", {SVC: """
        def parse(value):
            try:
                result = int(value)
            except ValueError:
                raise
            except Exception:
                result = 0
            return result
        """}, [(SVC, 6)]),
    # ---- must NOT trigger ---------------------------------------------------------------------
    ("FLK603", "narrow handlers never trigger", {SVC: """
        def get(d, key):
            try:
                return d[key]
            except KeyError:
                pass
            try:
                return int(key)
            except (ValueError, TypeError):
                pass
        """}, []),
    ("FLK603", "re-raise, raise from, raise inside an if", {SVC: """
        from app.errors import ServiceError


        def a(job, db):
            try:
                job.run()
            except Exception:
                db.session.rollback()
                raise


        def b(job):
            try:
                job.run()
            except Exception as exc:
                raise ServiceError("job failed") from exc


        def c(job, strict):
            try:
                job.run()
            except BaseException:
                if strict:
                    raise
        """}, []),
    ("FLK603", "logging calls: logger.exception, current_app.logger, print, logging.error", {SVC: """
        import logging
        from flask import current_app

        logger = logging.getLogger(__name__)


        def a(job):
            try:
                job.run()
            except Exception:
                logger.exception("job failed")


        def b(job):
            try:
                job.run()
            except Exception as e:
                current_app.logger.warning("job failed: %s", e)


        def c(job):
            try:
                job.run()
            except:
                print("job failed")


        def d(job):
            try:
                job.run()
            except Exception:
                logging.error("job failed")
        """}, []),
    ("FLK603", "abort, a returned response, sys.exit", {CTRL: """
        import sys
        from flask import abort, jsonify
        from app.services import report_service


        def show(report_id):
            try:
                return jsonify(report_service.get(report_id))
            except Exception:
                abort(404)


        def create(payload):
            try:
                return jsonify(report_service.create(payload)), 201
            except Exception as e:
                return jsonify(error=str(e)), 500


        def main():
            try:
                report_service.rebuild()
            except Exception:
                sys.exit(1)
        """}, []),
    ("FLK603", "an error tracker and traceback output report the error", {SVC: """
        import traceback
        from sentry_sdk import capture_exception


        def a(job):
            try:
                job.run()
            except Exception as e:
                capture_exception(e)


        def b(job):
            try:
                job.run()
            except Exception:
                traceback.print_exc()
        """}, []),
    ("FLK603", "LOG receiver, a project logging helper, a generator yielding the error", {SVC: """
        import logging

        LOG = logging.getLogger(__name__)


        def a(plugin):
            try:
                plugin.run()
            except Exception as e:
                LOG.warning(f"plugin failed: {e}")


        def b(plugin, audit):
            try:
                plugin.run()
            except Exception as e:
                audit._log_exception(e)


        def stream(plugin):
            try:
                yield plugin.run()
            except Exception as e:
                yield {"type": "error", "message": str(e)}
        """}, []),
    ("FLK603", "a project class named Exception is not the builtin", {SVC: """
        from app.errors import Exception


        def a(job):
            try:
                job.run()
            except Exception:
                pass
        """}, []),
]


@pytest.mark.parametrize("code,files,expected", catalog_params(CASES))
def test_catalog_case(project, code, files, expected):
    assert_catalog_case(project, code, files, expected)


def test_reported_at_the_except_keyword(project):
    found = project({SVC: """
        def f(job):
            try:
                job.run()
            # a comment line above the handler
            except   Exception:
                pass
            try: job.run()
            except: pass
        """}, select=("FLK603",))
    assert [(line, col) for _, line, col, _ in found] == [(5, 5), (8, 5)]
