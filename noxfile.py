"""The supported Pythons (3.11, 3.12, 3.13): `nox` installs the course in each and runs the fast tests.

CI runs on the machine's Python (`make test`); this file is for the other two where they can be installed:
    nox                     all three
    nox -s tests-3.13       one
torch is pinned exactly (constraints.txt), so each session downloads the CPU-less default wheel from PyPI
the first time (about 0.5 GB for 3.12/3.13, where no local wheel exists).
"""
import nox


@nox.session(python=["3.11", "3.12", "3.13"])
def tests(session):
    session.install("-c", "constraints.txt", "-e", ".[test]")
    session.run("python", "-m", "pytest", "tests", "--ignore=tests/e2e", "-q", "-x", "-p", "no:randomly")
