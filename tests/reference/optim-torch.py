#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reference numbers for tests/test-optim.c, computed once with PyTorch.

Runs each torch.optim optimizer for 10 steps on the same small problem as the
test (five parameters, gradient g(θ) = a⊙θ − b + 0.1 θ⊙θ⊙θ, in float64), the
learning-rate schedulers over 11 epochs and clip_grad_norm_, and writes
optim-torch.h beside this script. Run it again only to regenerate the numbers:

    /usr/bin/python3 tests/reference/optim-torch.py   (Debian: python3-torch)
"""
import math
import os
import torch

torch.set_default_dtype(torch.float64)
THETA0 = [0.5, -1.2, 2.385, 0.0, -0.3]
A = [1.5, 0.7, 2.0, 0.3, 4.0]
B = [0.2, -0.4, 1.1, 0.9, 0.0]
STEPS = 10

# name in the test, torch class, options: the defaults first, then non-defaults.
CASES = [
    ("sgd", torch.optim.SGD, dict(lr=0.01)),
    ("sgd_wd", torch.optim.SGD, dict(lr=0.05, weight_decay=0.1)),
    ("momentum", torch.optim.SGD, dict(lr=0.01, momentum=0.9)),
    ("momentum_damp", torch.optim.SGD, dict(lr=0.03, momentum=0.7, dampening=0.2, weight_decay=0.05)),
    ("nesterov", torch.optim.SGD, dict(lr=0.01, momentum=0.9, nesterov=True)),
    ("nesterov_wd", torch.optim.SGD, dict(lr=0.02, momentum=0.5, nesterov=True, weight_decay=0.2)),
    ("adagrad", torch.optim.Adagrad, dict()),
    ("adagrad_opts", torch.optim.Adagrad, dict(lr=0.3, lr_decay=0.05, initial_accumulator_value=0.1, weight_decay=0.1, eps=1e-6)),
    ("rmsprop", torch.optim.RMSprop, dict()),
    ("rmsprop_mom", torch.optim.RMSprop, dict(lr=0.02, alpha=0.9, momentum=0.5, weight_decay=0.1, eps=1e-6)),
    ("adadelta", torch.optim.Adadelta, dict()),
    ("adadelta_opts", torch.optim.Adadelta, dict(lr=0.5, rho=0.8, eps=1e-4, weight_decay=0.1)),
    ("adam", torch.optim.Adam, dict()),
    ("adam_opts", torch.optim.Adam, dict(lr=0.05, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1)),
]


def run(cls, opts):
    th = torch.tensor(THETA0, requires_grad=False)
    p = torch.nn.Parameter(th.clone())
    opt = cls([p], **opts)
    a, b = torch.tensor(A), torch.tensor(B)
    rows = []
    for _ in range(STEPS):
        with torch.no_grad():
            t = p.detach()
            p.grad = a * t - b + 0.1 * t * t * t
        opt.step()
        rows.append([float(x) for x in p.detach()])
    return rows


def schedules():
    out = {}
    for name, make in [
        ("step", lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5)),
        ("exponential", lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9)),
        ("cosine", lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10, eta_min=0.001)),
    ]:
        p = torch.nn.Parameter(torch.zeros(1))
        o = torch.optim.SGD([p], lr=0.1)
        s = make(o)
        lrs = []
        for _ in range(11):
            lrs.append(o.param_groups[0]["lr"])
            o.step()
            s.step()
        out[name] = lrs
    return out


def clip():
    g = torch.tensor([3.0, -4.0, 12.0, 0.5])
    p = torch.nn.Parameter(torch.zeros(4))
    p.grad = g.clone()
    norm = torch.nn.utils.clip_grad_norm_([p], max_norm=2.5)
    return float(norm), [float(x) for x in p.grad]


def c_array(values):
    return "{" + ", ".join("%.17g" % v for v in values) + "}"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    lines = [
        "/* SPDX-License-Identifier: GPL-3.0-or-later */",
        "/* optim-torch.h: written by optim-torch.py with PyTorch %s; do not edit. */"
        % torch.__version__,
        "#define TORCH_STEPS %d" % STEPS,
        "#define TORCH_N %d" % len(THETA0),
        "static const double torch_theta0[] = %s;" % c_array(THETA0),
        "static const double torch_a[] = %s;" % c_array(A),
        "static const double torch_b[] = %s;" % c_array(B),
        "typedef struct { const char *name; double theta[TORCH_STEPS][TORCH_N]; } torch_case;",
        "static const torch_case torch_cases[] = {",
    ]
    for name, cls, opts in CASES:
        rows = run(cls, opts)
        lines.append('  {"%s", {%s}},' % (name, ", ".join(c_array(r) for r in rows)))
    lines.append("};")
    for name, lrs in schedules().items():
        lines.append("static const double torch_schedule_%s[] = %s;" % (name, c_array(lrs)))
    norm, grad = clip()
    lines.append("static const double torch_clip_norm = %.17g;" % norm)
    lines.append("static const double torch_clip_grad[] = %s;" % c_array(grad))
    with open(os.path.join(here, "optim-torch.h"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
