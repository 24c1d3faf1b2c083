"""Project facts: taken per module (``extract``), merged (``index``), asked (``answers``).

Who may import what: rules and ``semantics`` import only ``answers`` and ``vocab``; the
engine, the runner and the fixes may use the index and the extractor.
"""

from flaskarch.facts.answers import Answers, ClassInfo
from flaskarch.facts.extract import extract_facts, resolve_relative
from flaskarch.facts.model import ModuleFacts

__all__ = ["Answers", "ClassInfo", "extract_facts", "resolve_relative", "ModuleFacts"]
