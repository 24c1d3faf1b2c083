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
                job.failed = True
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
            except Exception:
                results.error("job failed")
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
    ("FLK603", "the exception only inspected, dropped into a local nobody reads, or built without raise", {SVC: """
        from app.errors import ApiError


        def sync(jobs):
            errors = []
            for job in jobs:
                try:
                    job.run()
                except Exception as e:
                    errors.append(e)
                    continue
                job.done = True


        def create(user):
            try:
                user = user.create()
            except Exception as e:
                ApiError(e, 500)
            return user


        def probe(conn):
            try:
                conn.ping()
            except Exception as exc:
                if isinstance(exc, TimeoutError):
                    conn.timeouts += 1
                last = exc
            return conn


        def notify(job, flash):
            try:
                job.run()
            except Exception as e:
                flash("the job failed: {}".format(e))
        """}, [(SVC, 9), (SVC, 18), (SVC, 26), (SVC, 36)]),
    # ---- must NOT trigger ---------------------------------------------------------------------
    ("FLK603", "the exception object handed on: a Future, a queue, an attribute, a local read after", {SVC: """
        import sys
        from concurrent.futures import Future


        def call_sync(func, *args):
            result = Future()
            try:
                result.set_result(func(*args))
            except Exception as ex:
                result.set_exception(ex)
            return result


        def pump(response, queue):
            try:
                for chunk in response.iter_raw():
                    queue.put(chunk)
            except Exception as e:  # the consumer re-raises what it gets
                queue.put(e)
            finally:
                queue.put(None)


        class Job:
            def run(self):
                try:
                    self.step()
                except BaseException as exc:
                    self.last_error = exc


        def read_logging_config(readers, path):
            failure = None
            for read in readers:
                try:
                    read(path)
                    return True
                except Exception as e:
                    failure = e
            if failure:
                sys.stderr.write(f"could not read {path}: {failure}\\n")
            return False
        """}, []),
    ("FLK603", "traceback.print_exc imported inside the handler; a logger from a factory", {SVC: """
        import click

        from app.core.logger import Logger


        class AppGroup(click.Group):
            def list_commands(self, ctx):
                commands = set(click.Group.list_commands(self, ctx))
                try:
                    commands.update(ctx.obj.load_app().cli.list_commands(ctx))
                except Exception:
                    import traceback

                    traceback.print_exc()
                return sorted(commands)


        def run_task(task, print_stderr):
            try:
                result = task.execute()
            except Exception as e:
                print_stderr("task {!r} failed: {!r}".format(task.name, e))
                result = False
            return result


        def run_hook(hook):
            import sys

            try:
                hook()
            except BaseException:
                sys.stderr.write("hook failed\\n")


        def set_text(elem, text):
            try:
                elem.text = text
            except Exception:
                Logger.get("xml").exception("setting the XML text failed (value %r)", text)
        """}, []),
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
