"""One test module per rule (test_flk101.py, ...): its catalog cases and its fix tests."""

import pytest

# the shared helpers assert too: let pytest explain their failures as it does in test modules
pytest.register_assert_rewrite("rules._shared")
