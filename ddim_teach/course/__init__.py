"""The course layer: sympy derivations, the exercises' checkers, the paper's errata. The top layer."""
