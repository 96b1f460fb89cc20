"""ddim_teach: DDIM (Song, Meng & Ermon, ICLR 2021) as a package you can check number by number.

Layers, each a folder; a layer imports only the layers above it in this list (tests/test_layers.py):
    data, i18n    the data sets and the two editions' language (base: any layer may use them)
    core/         the maths: schedule (β, ᾱ, SNR), forward (q(x_t|x_0), posteriors), timesteps (τ),
                  step (Eq. 9 predict_eps_x0, Eq. 12 ddim_step, Eq. 16 ddim_sigma, ddpm_step), derivations
    samplers/     loop (sample_ddim, sample_ddpm, invert_ddim: one chain), ode (Heun, DPM-Solver++ 2M, flow map),
                  registry (one record per sampler), seeding, guidance (classifier-free guidance)
    models/       TinyUNet, MLPDenoiser, frozen inference, pretrained weights, training, the digit classifier
    experiments/  oracles (exact denoisers), gaussian_law (DDIM's exact output law), records (named denoisers
                  and runs), metrics, tables (Tables 1 and 2, sampling for them, the one interval),
                  flow_map (the ODE solvers against exact references)
    lab/          plots and the widgets (explorers) of the lectures
    course/       symbolic derivations, exercises, errata
The notebook build is not part of the package: tools/notebooks.py.
Every public name below stays importable from ``ddim_teach`` itself.
"""
from .core.derivations import (
    bayes_step_identity,
    posterior_mean_forms,
    q_sigma_forward_step,
    q_sigma_joint_check,
    q_sigma_marginal_check,
    q_sigma_posterior_mean_variance,
    q_sigma_subsequence_marginals,
    telescoping_check,
)
from .core.forward import (
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
from .core.schedule import Schedule, make_schedule, rescale_zero_terminal_snr
from .core.step import ddim_coefficients, ddim_sigma, ddim_step, ddpm_step, predict_eps_x0
from .core.timesteps import SPACINGS, make_timesteps, timestep_pairs
from .data import load_dataset
from .i18n import get_language, set_language, tr
from .samplers.loop import TrajectoryRecorder, invert_ddim, sample_ddim, sample_ddpm
from .samplers.ode import (
    nfe_for,
    ode_sigmas,
    sample_dpmpp_2m,
    sample_euler,
    sample_heun,
    steps_for_nfe,
)
from .samplers.registry import SAMPLERS, call_sampler, get_sampler, register_sampler
from .samplers.guidance import GuidedModel, classifier_free_guidance
from .samplers.sde import sample_euler_maruyama  # registers "euler_maruyama": the SDE end of the η dial
from .samplers.thresholding import ThresholdedModel, dynamic_threshold
from .models.pretrained import CheckpointError, available_pretrained, checkpoint_meta, load_checkpoint, load_pretrained
from .experiments.flow_map import flow_map_error, gaussian_flow_map
from .experiments.oracles import EmpiricalDenoiser, GaussianDenoiser, GaussianMixtureDenoiser, ring_of_gaussians

__version__ = "0.1.0"
