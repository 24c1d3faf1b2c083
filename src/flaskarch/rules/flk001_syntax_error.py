"""FLK001 syntax-error: the engine reports it; this class carries the catalog entry."""

from flaskarch.rule import Rule


class SyntaxErrorRule(Rule):
    code = "FLK001"
    name = "syntax-error"
    summary = "A file that cannot be parsed (syntax error, undecodable bytes, null bytes)."
    tags = ('tool',)
    precision = "very-high"
    engine_rule = True
