"""The editions' language: translated strings, and a Hangul font that draws every glyph the figures use."""
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from ddim_teach import i18n  # noqa: E402


@pytest.fixture
def korean():
    before = i18n.get_language()
    yield i18n.set_language("ko")
    i18n.set_language(before)


def test_tr_follows_the_language_and_takes_fields(korean):
    assert i18n.tr("steps_S") == "스텝 수 S"
    assert i18n.tr("steps_S", lang="en") == "steps S"
    i18n.register_strings({"test_fields": {"ko": "{n}개", "en": "{n} items"}})
    assert i18n.tr("test_fields", n=3) == "3개"


@pytest.mark.parametrize("call, error", [
    (lambda: i18n.set_language("fr"), "language must be one of"),
    (lambda: i18n.tr("no such key"), "no translated string"),
    (lambda: i18n.register_strings({"x_only_ko": {"ko": "가"}}), "lacks the language"),
    (lambda: i18n.register_strings({"steps_S": {"ko": "다른", "en": "other"}}), "different text"),
])
def test_bad_input_gets_a_specific_error(call, error):
    with pytest.raises((ValueError, KeyError), match=error):
        call()


def test_korean_font_has_hangul_and_the_minus_sign():
    from fontTools.ttLib import TTFont

    for path in i18n._korean_font_files():
        cmap = TTFont(path).getBestCmap()
        assert ord("한") in cmap and 0x2212 in cmap, path


def test_korean_figure_with_log_axes_math_and_bold_draws_every_glyph(korean, caplog):
    """Hangul, Greek, combining accents, mathtext and 10⁻³ log ticks: no missing-glyph warning or log line."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig, ax = plt.subplots()
        ax.set_title("스텝 수 S, η, τ 간격, σ̂, x̂₀ −1", fontweight="bold")
        ax.set_xlabel(r"사후 평균 $\tilde\mu_t(x_t, \hat x_0)$, $x_{t-1}$")
        ax.set_yscale("log")
        ax.plot([1, 2], [1e-3, 1], label="범례")
        ax.legend()
        fig.canvas.draw()
        plt.close(fig)
    assert not [r for r in caplog.records if "glyph" in r.getMessage() or "findfont" in r.getMessage()]
