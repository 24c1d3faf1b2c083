"""The command line: `flaskarch check`, `rules`, `explain`. Exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from flaskarch import __version__
from flaskarch.config import (
    ConfigError,
    Configuration,
    Settings,
    check_code,
    split_codes,
)
from flaskarch.pages import page_text
from flaskarch.presets import PRESET_NAMES
from flaskarch.reporters import FORMATS, reporter
from flaskarch.rules import ALL_CODES


def _fail(message: str) -> None:
    click.echo(f"flaskarch: error: {message}", err=True)
    sys.exit(2)


def load_settings(paths: list[Path], config: str | None, **overrides: Any) -> Settings:
    """The settings of the first path's project (the flake8 plugin's, per file)."""
    first = paths[0] if paths else Path(".")
    return load_configuration(config, **overrides).settings_for(first if first.exists() else Path("."))


def load_configuration(config: str | None, **overrides: Any) -> Configuration:
    """Per-project settings (or the one `--config`), with command-line overrides."""
    for key in ("select", "ignore", "extend_select"):
        for code in overrides.get(key) or ():
            check_code(code, ALL_CODES, f"--{key.replace('_', '-')}")
    return Configuration(Path(config) if config is not None else None, ALL_CODES, **overrides)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="flaskarch")
def main() -> None:
    """flaskarch: keep a Flask codebase's architecture honest."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--fix", is_flag=True, help="Apply safe fixes.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply (with --fix/--diff) and offer unsafe fixes.")
@click.option("--diff", "show_diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
@click.option("--show-fixes", is_flag=True, help="List the violations that were fixed.")
@click.option("--select", multiple=True,
              help="Comma list of codes or prefixes to run (replaces the preset's); ALL for every rule. Repeatable.")
@click.option("--extend-select", multiple=True, help="Codes or prefixes to run in addition. Repeatable.")
@click.option("--ignore", multiple=True, help="Codes or prefixes not to run. Repeatable.")
@click.option("--preset", type=click.Choice(PRESET_NAMES), help="Preset (default: auto).")
@click.option("--config", "config", type=click.Path(), help="Configuration file to use.")
@click.option("--format", "--output-format", "fmt", type=click.Choice(sorted(FORMATS)), default="text",
              show_default=True)
@click.option("--output", type=click.Path(path_type=Path), help="Write the report to this file.")
@click.option("--sarif-output", type=click.Path(path_type=Path), help="Also write a SARIF report to this file.")
@click.option("--baseline", type=click.Path(path_type=Path),
              help="Report only violations not recorded in this baseline file (overrides the `baseline` key).")
@click.option("--write-baseline", type=click.Path(path_type=Path),
              help="Record today's violations in this baseline file (then nothing is reported).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when violations are found.")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="Exit 1 when fixes were applied, even if nothing is left.")
@click.option("--fix-only", is_flag=True, help="Apply fixes and report only what was fixed, not what is left.")
@click.option("--statistics", is_flag=True, help="Only show counts per rule.")
@click.option("--show-source", is_flag=True, help="Show the offending line with a caret.")
@click.option("--show-settings", is_flag=True, help="Print the effective configuration and exit.")
@click.option("--stdin-filename", type=click.Path(path_type=Path),
              help="With PATH '-': the source comes from stdin and is checked as this file of its project.")
@click.option("--show-files", is_flag=True, help="List the files that would be checked, with their layer and why, and exit.")
@click.option("--no-color", is_flag=True, help="Never colour the output.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write .flaskarch_cache/.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: cores).")
@click.option("-q", "--quiet", is_flag=True, help="Only the violations, no summary.")
@click.option("-v", "--verbose", is_flag=True, help="Tracebacks for internal errors, timing.")
def check(
    paths: tuple[Path, ...],
    fix: bool,
    unsafe_fixes: bool,
    show_diff: bool,
    show_fixes: bool,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    preset: str | None,
    config: str | None,
    fmt: str,
    output: Path | None,
    sarif_output: Path | None,
    baseline: Path | None,
    write_baseline: Path | None,
    exit_zero: bool,
    exit_non_zero_on_fix: bool,
    fix_only: bool,
    statistics: bool,
    show_source: bool,
    show_settings: bool,
    show_files: bool,
    stdin_filename: Path | None,
    no_color: bool,
    no_cache: bool,
    jobs: int | None,
    quiet: bool,
    verbose: bool,
) -> None:
    """Check PATHS (default: the current folder)."""
    from flaskarch.runner import run  # the engine loads libcst: keep `--help` fast

    targets = list(paths) or [Path(".")]
    stdin = None
    if any(str(p) == "-" for p in targets):
        if stdin_filename is None or len(targets) != 1:
            _fail("'-' reads one module from stdin: give it alone, with --stdin-filename PATH")
        if fix or fix_only or show_diff:
            _fail("fixes of stdin are not supported: check the file itself with --fix")
        if not stdin_filename.is_file():
            _fail(f"{stdin_filename}: --stdin-filename must name the module's file in its project")
        stdin = (stdin_filename, sys.stdin.buffer.read())
        targets = [stdin_filename]
    missing = [p for p in targets if not p.exists()]
    for path in missing:  # reported; the other paths are still checked, and the exit is 2
        click.echo(f"flaskarch: error: {path}: no such file or directory", err=True)
    targets = [p for p in targets if p not in missing]
    if not targets:
        sys.exit(2)
    fix = fix or fix_only
    try:
        configuration = load_configuration(
            config,
            select=_codes(select),
            ignore=_codes(ignore),
            extend_select=_codes(extend_select),
            preset=preset,
            baseline=str(baseline.resolve()) if baseline is not None else None,
        )
        if show_settings:
            first = targets[0] if targets[0].exists() else Path(".")
            settings = configuration.settings_for(first)
            click.echo(json.dumps({**settings.to_display(), **_dependencies(settings)}, indent=2, default=list))
            return
        if show_files:
            from flaskarch.runner import show_files as list_files

            listed = list_files(targets, configuration)
            width = max((len(p) for p, _, _ in listed), default=0)
            for path, layer, why in listed:
                click.echo(f"{path:<{width}}  {layer or '-':<10}  {why}")
            return
        fix_mode = "diff" if show_diff else "fix" if fix else None
        result = run(
            targets, configuration, verbose=verbose, jobs=jobs, use_cache=not no_cache,
            fix_mode=fix_mode, unsafe_fixes=unsafe_fixes, stdin=stdin,
            write_baseline=str(write_baseline) if write_baseline is not None else None,
        )
    except ConfigError as exc:
        _fail(str(exc))
        return
    for error in result.errors:
        click.echo(f"flaskarch: error: {error}", err=True)
    for warning in result.warnings:
        click.echo(f"flaskarch: warning: {warning}", err=True)
    if write_baseline is not None and result.baseline is not None:
        n = result.baseline.written
        click.echo(f"flaskarch: wrote {n} baseline entr{'y' if n == 1 else 'ies'} to {write_baseline}", err=True)
    if verbose:
        phases = ", ".join(f"{k} {v:.2f}s" for k, v in result.timings.items())
        click.echo(
            f"flaskarch: {result.files} files, {result.parsed} parsed, {result.cached} from cache; {phases}",
            err=True,
        )
    if show_diff:
        sys.stdout.write("".join(result.diffs))
        n = len(result.fixed)
        click.echo(f"Would fix {n} violation{'s' if n != 1 else ''} in {len(result.diffs)} files.", err=True)
        sys.exit(2 if result.errors else 1 if result.diffs and not exit_zero else 0)
    if fix_only:
        result.findings = []  # ruff's --fix-only: what was fixed, not what is left
    sources = _sources(result) if show_source else None
    rendered = reporter(fmt)(
        result, show_source=show_source, statistics=statistics, quiet=quiet, sources=sources,
        unsafe_fixes=unsafe_fixes, show_fixes=show_fixes,
    )
    _emit(rendered, output, no_color)
    if sarif_output is not None:
        _emit(reporter("sarif")(result), sarif_output, True)
    if result.errors or missing:
        sys.exit(2)
    if exit_non_zero_on_fix and result.fixed:
        sys.exit(1)
    sys.exit(0 if exit_zero or fix_only or not result.findings else 1)


def _dependencies(settings: Any) -> dict[str, Any]:
    """The SQLAlchemy versions the project's files give, and what that does to FLK403/FLK404."""
    from flaskarch.pins import PACKAGES, read_versions
    from flaskarch.rule import explicitly_selected

    versions = read_versions(settings.root)
    shown = {name: versions[name].describe() if name in versions else "unknown" for name in PACKAGES}
    sqla = versions.get("sqlalchemy")
    below = sqla is not None and sqla.below((2, 0))
    rules = {}
    for code in ("FLK403", "FLK404"):
        if explicitly_selected(code, settings):
            rules[code] = "runs: selected explicitly"
        elif below:
            rules[code] = "off by default: the project is on SQLAlchemy < 2.0 (select it to run it)"
        else:
            rules[code] = "runs by default (where the preset selects it): SQLAlchemy " + (
                ">= 2.0" if sqla is not None and sqla.at_least((2, 0)) else "version unknown")
    return {"dependencies": shown, "version-aware-rules": rules}


def _codes(given: tuple[str, ...]) -> tuple[str, ...] | None:
    """Repeated options add up (`--select FLK1 --select FLK5`), as in ruff and flake8; `ALL`
    means every rule."""
    if not given:
        return None
    return tuple(code for text in given for code in split_codes(text) or ())


def _sources(result: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in result.findings:
        if f.path not in out:
            try:
                out[f.path] = Path(f.path).read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                out[f.path] = []
    return out


def _emit(rendered: Any, output: Path | None, no_color: bool) -> None:
    if output is not None:
        text = rendered if isinstance(rendered, str) else rendered.plain
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            _fail(f"{output}: cannot write report: {exc.strerror}")
        return
    if not isinstance(rendered, str):  # styled text
        color = (sys.stdout.isatty() or bool(os.environ.get("FORCE_COLOR"))) and not no_color and (
            "NO_COLOR" not in os.environ)
        if color:
            from rich.console import Console

            Console(highlight=False, soft_wrap=True).print(rendered.to_rich(), end="")
        else:
            sys.stdout.write(rendered.plain)
    else:
        sys.stdout.write(rendered)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "csv"]), default="text",
              show_default=True)
@click.option("--unprotected", is_flag=True, help="Only mutating routes with no authentication.")
@click.option("--config", "config", type=click.Path(), help="Configuration file to use.")
@click.option("--output", type=click.Path(path_type=Path), help="Write the inventory to this file.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write .flaskarch_cache/.")
@click.option("--no-color", is_flag=True, help="Never colour the output.")
def routes(paths: tuple[Path, ...], fmt: str, unprotected: bool, config: str | None, output: Path | None,
           no_cache: bool, no_color: bool) -> None:
    """The route inventory: every endpoint with its methods, full URL, view and auth."""
    from flaskarch.reporters import routes as report
    from flaskarch.runner import inventory

    targets = list(paths) or [Path(".")]
    try:
        endpoints = inventory(targets, load_configuration(config), use_cache=not no_cache)
    except ConfigError as exc:
        _fail(str(exc))
        return
    if unprotected:
        endpoints = report.unprotected(endpoints)
    rendered = report.render(fmt, endpoints)
    if not isinstance(rendered, str):
        color = output is None and sys.stdout.isatty() and not no_color and "NO_COLOR" not in os.environ
        rendered = rendered.text(color)
    if output is not None:
        try:
            output.write_text(rendered, encoding="utf-8")
        except OSError as exc:
            _fail(f"{output}: cannot write report: {exc.strerror}")
        return
    sys.stdout.write(rendered)


@main.command(name="rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(fmt: str) -> None:
    """List the rule catalog: code, name, presets, fix, summary."""
    from flaskarch.rules import RULES_BY_CODE

    rows = [
        {
            "code": r.code,
            "name": r.name,
            "presets": sorted(r.presets),
            "severity": r.severity,
            "fix": r.fix,
            "summary": r.summary,
        }
        for r in RULES_BY_CODE.values()
    ]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        presets = "all" if len(row["presets"]) == 3 else ",".join(row["presets"])
        fix = row["fix"] or "-"
        click.echo(f"{row['code']}  {row['name']:<34} {presets:<15} {fix:<7} {row['summary']}")


@main.command()
@click.argument("code")
def explain(code: str) -> None:
    """Print a rule's page (by code, `FLK101`, or by name, `session-in-controller`)."""
    if code.upper() not in ALL_CODES:
        from flaskarch.rules import RULES_BY_CODE

        by_name = {rule.name: c for c, rule in RULES_BY_CODE.items()}
        if code.lower() not in by_name:
            _fail(f"unknown rule code or name '{code}'")
        code = by_name[code.lower()]
    code = code.upper()
    text = page_text(code)
    if text is None:
        _fail(f"no documentation page for {code}")
    click.echo(text, nl=False)


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
def clean(path: Path | None) -> None:
    """Remove the result cache (.flaskarch_cache/) of the project at PATH (default: .)."""
    from flaskarch.cache import clean as clean_cache

    target = path or Path(".")
    try:
        root = Configuration().root_for(target if target.exists() else Path("."))
    except ConfigError as exc:
        _fail(str(exc))
        return
    removed = clean_cache(str(root))
    click.echo(f"removed {root / '.flaskarch_cache'}" if removed else "nothing to clean")


# -- `check --add-noqa[=REASON]` -------------------------------------------------------------
# The option is added to `check` here, around its callback, so that the add-noqa run stays out
# of the reporting path. As with ruff, a reason needs `=`: a bare `--add-noqa` never takes the
# next word (`flaskarch check --add-noqa app/` checks app/).

check.params.append(click.Option(
    ["--add-noqa", "add_noqa"], default=None, metavar="[=REASON]",
    help="Add `# noqa: FLKnnn` to every reported line (REASON, if given, after the codes); report nothing.",
))
_check_parse_args = check.parse_args
_check_callback = check.callback


def _parse_check_args(ctx: click.Context, args: list[str]) -> list[str]:
    out: list[str] = []
    for i, arg in enumerate(args):
        if arg == "--":
            out += args[i:]
            break
        out.append("--add-noqa=" if arg == "--add-noqa" else arg)
    return _check_parse_args(ctx, out)


def _check_or_add_noqa(*args: Any, add_noqa: str | None = None, **kwargs: Any) -> None:
    if add_noqa is None:
        return _check_callback(*args, **kwargs)
    from flaskarch.add_noqa import add_noqa as add_directives, check_reason
    from flaskarch.runner import run

    reason = add_noqa.strip() or None
    problem = check_reason(reason)
    if problem is not None:
        _fail(problem)
    for option in ("fix", "fix_only", "show_diff", "write_baseline", "show_settings", "show_files"):
        if kwargs.get(option):
            _fail(f"--add-noqa cannot be combined with --{option.replace('_', '-').replace('show-diff', 'diff')}")
    targets = list(kwargs["paths"]) or [Path(".")]
    if any(str(p) == "-" for p in targets):
        _fail("--add-noqa writes files: it cannot read stdin")
    missing = [p for p in targets if not p.exists()]
    for path in missing:
        click.echo(f"flaskarch: error: {path}: no such file or directory", err=True)
    targets = [p for p in targets if p not in missing]
    if not targets:
        sys.exit(2)
    baseline = kwargs.get("baseline")
    try:
        configuration = load_configuration(
            kwargs.get("config"),
            select=_codes(kwargs.get("select") or ()),
            ignore=_codes(kwargs.get("ignore") or ()),
            extend_select=_codes(kwargs.get("extend_select") or ()),
            preset=kwargs.get("preset"),
            baseline=str(baseline.resolve()) if baseline is not None else None,
        )
        result = run(targets, configuration, verbose=kwargs.get("verbose", False), jobs=kwargs.get("jobs"),
                     use_cache=not kwargs.get("no_cache"))
    except ConfigError as exc:
        _fail(str(exc))
        return
    for error in result.errors:
        click.echo(f"flaskarch: error: {error}", err=True)
    added = add_directives(result.findings, reason)
    for line in added.skipped:
        click.echo(f"flaskarch: warning: {line}", err=True)
    for error in added.errors:
        click.echo(f"flaskarch: error: {error}", err=True)
    unparsable = sum(1 for f in result.findings if f.code == "FLK001")
    n, files = added.directives, len(added.files)
    click.echo(f"Added {n} noqa directive{'s' if n != 1 else ''} in {files} file{'s' if files != 1 else ''}."
               + (f" {unparsable} FLK001 (syntax error) cannot be suppressed." if unparsable else ""), err=True)
    sys.exit(2 if result.errors or added.errors or missing else 0)


check.parse_args = _parse_check_args  # type: ignore[method-assign]
check.callback = _check_or_add_noqa


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--preset", type=click.Choice(PRESET_NAMES),
              help="Write this preset (default: the one `auto` picks for the project, written out).")
@click.option("--force", is_flag=True, help="Replace an existing flaskarch configuration.")
def init(path: Path | None, preset: str | None, force: bool) -> None:
    """Write a commented [tool.flaskarch] section for the project at PATH (default: .) into its
    pyproject.toml (or a new flaskarch.toml): what flaskarch already detects, made explicit."""
    from flaskarch.init import init_project

    try:
        done = init_project(path or Path("."), preset=preset, force=force)
    except ConfigError as exc:
        _fail(str(exc))
        return
    where = "[tool.flaskarch] in " if done.path.name == "pyproject.toml" else ""
    shown = os.path.relpath(done.path) if not os.path.relpath(done.path).startswith("..") else str(done.path)
    click.echo(f"flaskarch: {'replaced' if done.replaced else 'wrote'} {where}{shown}", err=True)
