"""The experiment layer: exact denoisers, DDIM's exact Gaussian law, named denoisers and runs, metrics, tables.

Imports core, samplers and models."""
