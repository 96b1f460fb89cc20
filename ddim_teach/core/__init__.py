"""The maths layer: schedule, forward process, timesteps, the one-step formulas (Eq. 9, 12, 16), derivations.

Imports nothing from the other layers (only ``data``/``i18n`` at most)."""
