"""The lab layer: figures (plots) and the interactive explorers (widgets). Imported lazily by the lectures."""
