"""The cross-source engine: pure Python, no Django import (a contract in pyproject.toml, [tool.importlinter])."""
