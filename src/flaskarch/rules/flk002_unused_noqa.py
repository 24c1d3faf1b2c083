"""FLK002 unused-noqa: the engine reports it (only it knows what each `# noqa` suppressed);
this class carries the catalog entry."""

from flaskarch.rule import Rule


class UnusedNoqa(Rule):
    code = "FLK002"
    name = "unused-noqa"
    summary = "A `# noqa: FLK…` code that suppressed nothing on its line."
    tags = ('tool',)
    engine_rule = True
    fix = "safe"
