"""Back on the CPU: are the shipped mnist5k network's 50-step DDIM samples recognisable digits?

An independent classifier (logistic regression fitted on the real mnist5k training digits) gives the
samples' mean confidence, against that of real held-out digits (target ≥ 0.9×), and counts the classes
among 500 samples (target 10/10).

    python benchmarks/gpu/mnist_quality.py
"""
import torch
from sklearn.linear_model import LogisticRegression

import ddim_teach as dt
from ddim_teach.data import load_dataset


def main(n: int = 500) -> None:
    if "mnist5k" not in dt.available_pretrained():
        raise SystemExit("no mnist5k weights are shipped yet: run the GPU session first (benchmarks/gpu/README.md)")
    model, schedule = dt.load_pretrained("mnist5k")
    train, test = load_dataset("mnist5k", "train"), load_dataset("mnist5k", "test")
    clf = LogisticRegression(max_iter=2000).fit(train.x.flatten(1).numpy(), train.y.numpy())
    x_T = torch.randn((n, *model.sample_shape), generator=torch.Generator().manual_seed(0))
    x = dt.sample_ddim(model, x_T, schedule, dt.make_timesteps(schedule.T, 50, "trailing"), progress=False)
    p_fake = clf.predict_proba(x.clamp(-1, 1).flatten(1).numpy())
    p_real = clf.predict_proba(test.x.flatten(1).numpy())
    conf_fake, conf_real = p_fake.max(1).mean(), p_real.max(1).mean()
    classes = len(set(p_fake.argmax(1).tolist()))
    print(f"mean confidence: samples {conf_fake:.3f}, real held-out {conf_real:.3f}, ratio {conf_fake / conf_real:.3f} "
          f"(target >= 0.9); classes among {n}: {classes}/10")


if __name__ == "__main__":
    main()
