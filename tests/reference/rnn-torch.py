#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reference numbers for tests/test-rnn.c, computed once with PyTorch.

An Elman RNN (torch.nn.RNNCell, tanh) and an LSTM (torch.nn.LSTMCell, gates
i, f, g, o), each followed by a torch.nn.Linear output layer, run over T = 5
steps of a batch of B = 2 in float64 from a non-zero initial state. The cost
is J = Σ R ⊙ Y + Σ S ⊙ h_T (a loss on every output and one on the last
state), so dY = R and dH is S at the last step. Written: the outputs, the
last state, every parameter's gradient in the layout of nn/rnn.h (W_xh, W_hh,
b_h, W_hy, b_y; b_h is torch's bias_ih, bias_hh being 0), dX, dh0 (and dc0),
and ‖∂J/∂h_t‖ for t = T..0 (autograd's own, through retain_grad). Writes
rnn-torch.h beside this script. Run it again only to regenerate the numbers:

    /usr/bin/python3 tests/reference/rnn-torch.py   (Debian: python3-torch)
"""
import os
import torch

torch.set_default_dtype(torch.float64)
N_IN, HID, N_OUT, B, T = 3, 4, 2, 2, 5


def c_array(values):
    return "{" + ", ".join("%.17g" % float(v) for v in values) + "}"


def flat(t):
    return t.detach().reshape(-1).tolist()


def run(kind, seed):
    g = torch.Generator().manual_seed(seed)
    cell = (torch.nn.RNNCell(N_IN, HID) if kind == "elman"
            else torch.nn.LSTMCell(N_IN, HID))
    out = torch.nn.Linear(HID, N_OUT)
    with torch.no_grad():
        for p in [cell.weight_ih, cell.weight_hh, cell.bias_ih, out.weight, out.bias]:
            p.copy_(torch.rand(p.shape, generator=g) * 1.6 - 0.8)
        cell.bias_hh.zero_()
    params = [cell.weight_ih, cell.weight_hh, cell.bias_ih, out.weight, out.bias]
    X = torch.randn(T, B, N_IN, generator=g).requires_grad_()
    h0 = (torch.randn(B, HID, generator=g) * 0.5).requires_grad_()
    c0 = (torch.randn(B, HID, generator=g) * 0.5).requires_grad_()
    R = torch.randn(T, B, N_OUT, generator=g)
    S = torch.randn(B, HID, generator=g)
    hs = [h0]
    h, c = h0, c0
    ys = []
    for t in range(T):
        if kind == "elman":
            h = cell(X[t], h)
        else:
            h, c = cell(X[t], (h, c))
        h.retain_grad()
        hs.append(h)
        ys.append(out(h))
    Y = torch.stack(ys)
    J = (R * Y).sum() + (S * h).sum()
    J.backward()
    grads = sum((flat(p.grad) for p in params), [])
    pvals = sum((flat(p) for p in params), [])
    norms = [float(hs[T - k].grad.norm()) for k in range(T + 1)]
    d = dict(params=pvals, X=flat(X), h0=flat(h0), c0=flat(c0), R=flat(R), S=flat(S),
             Y=flat(Y), hT=flat(h), grads=grads, dX=flat(X.grad), dh0=flat(h0.grad),
             dc0=flat(c0.grad) if kind == "lstm" else [0.0], norms=norms)
    return d


FIELDS = ["params", "X", "h0", "c0", "R", "S", "Y", "hT", "grads", "dX", "dh0", "dc0",
          "norms"]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    lines = [
        "/* SPDX-License-Identifier: GPL-3.0-or-later */",
        "/* rnn-torch.h: written by rnn-torch.py with PyTorch %s; do not edit. */"
        % torch.__version__,
        "#define TORCH_N_IN %d" % N_IN,
        "#define TORCH_HID %d" % HID,
        "#define TORCH_N_OUT %d" % N_OUT,
        "#define TORCH_B %d" % B,
        "#define TORCH_T %d" % T,
        "typedef struct {",
        "  const char *kind;",
    ] + ["  const double *%s;" % f for f in FIELDS] + [
        "} torch_rnn_case;",
    ]
    names = []
    for kind, seed in [("elman", 11), ("lstm", 12)]:
        d = run(kind, seed)
        for f in FIELDS:
            lines.append("static const double torch_%s_%s[] = %s;" % (kind, f, c_array(d[f])))
        names.append(kind)
    lines.append("static const torch_rnn_case torch_rnn_cases[] = {")
    for kind in names:
        lines.append('  {"%s", %s},' % (kind, ", ".join("torch_%s_%s" % (kind, f)
                                                        for f in FIELDS)))
    lines.append("};")
    with open(os.path.join(here, "rnn-torch.h"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
