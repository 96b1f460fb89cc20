"""The sampler layer: one chain (loop), the ODE solvers, the registry, seeding, guidance. Imports only core."""
