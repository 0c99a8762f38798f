#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reference numbers for tests/test-attention.c, computed once with PyTorch.

Scaled dot-product attention softmax(Q Kᵀ/√d_k) V in float64, once without a
mask (4 queries, 5 keys, d_k = 3, d_v = 2) and once with the causal mask (5
queries, 5 keys; masked_fill with −∞ above the diagonal, as torch's
is_causal), with the cost J = Σ R ⊙ O so that dO = R. Autograd gives dQ, dK
and dV. Also the sinusoidal positional encodings of 6 positions in 5
columns, computed as in the Annotated Transformer (div_term = exp(−ln(10000)
2i/d)). Writes attention-torch.h beside this script. Run it again only to
regenerate the numbers:

    /usr/bin/python3 tests/reference/attention-torch.py   (Debian: python3-torch)
"""
import math
import os
import torch

torch.set_default_dtype(torch.float64)


def c_array(values):
    return "{" + ", ".join("%.17g" % float(v) for v in values) + "}"


def flat(t):
    return t.detach().reshape(-1).tolist()


def run(n_q, n_k, d_k, d_v, causal, seed):
    g = torch.Generator().manual_seed(seed)
    Q = torch.randn(n_q, d_k, generator=g).requires_grad_()
    K = torch.randn(n_k, d_k, generator=g).requires_grad_()
    V = torch.randn(n_k, d_v, generator=g).requires_grad_()
    R = torch.randn(n_q, d_v, generator=g)
    S = Q @ K.T / math.sqrt(d_k)
    if causal:
        mask = torch.ones(n_q, n_k).tril().bool()
        S = S.masked_fill(~mask, float("-inf"))
    P = torch.softmax(S, dim=-1)
    O = P @ V
    (R * O).sum().backward()
    return dict(Q=flat(Q), K=flat(K), V=flat(V), R=flat(R), O=flat(O), P=flat(P),
                dQ=flat(Q.grad), dK=flat(K.grad), dV=flat(V.grad))


FIELDS = ["Q", "K", "V", "R", "O", "P", "dQ", "dK", "dV"]


def positional(n_pos, d):
    pe = torch.zeros(n_pos, d)
    pos = torch.arange(n_pos).unsqueeze(1).double()
    div = torch.exp(torch.arange(0, d, 2).double() * (-math.log(10000.0) / d))
    pe[:, 0::2] = torch.sin(pos * div)
    pe[:, 1::2] = torch.cos(pos * div[: d // 2])
    return flat(pe)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    lines = [
        "/* SPDX-License-Identifier: GPL-3.0-or-later */",
        "/* attention-torch.h: written by attention-torch.py with PyTorch %s; do not"
        " edit. */" % torch.__version__,
        "typedef struct {",
        "  const char *name;",
        "  size_t n_q, n_k, d_k, d_v;",
        "  int causal;",
    ] + ["  const double *%s;" % f for f in FIELDS] + [
        "} torch_attention_case;",
    ]
    cases = [("plain", 4, 5, 3, 2, 0, 21), ("causal", 5, 5, 3, 2, 1, 22)]
    for name, n_q, n_k, d_k, d_v, causal, seed in cases:
        d = run(n_q, n_k, d_k, d_v, causal, seed)
        for f in FIELDS:
            lines.append("static const double torch_%s_%s[] = %s;" % (name, f, c_array(d[f])))
    lines.append("static const torch_attention_case torch_attention_cases[] = {")
    for name, n_q, n_k, d_k, d_v, causal, seed in cases:
        lines.append('  {"%s", %d, %d, %d, %d, %d, %s},' % (
            name, n_q, n_k, d_k, d_v, causal,
            ", ".join("torch_%s_%s" % (name, f) for f in FIELDS)))
    lines.append("};")
    lines.append("#define TORCH_PE_POS 6")
    lines.append("#define TORCH_PE_D 5")
    lines.append("static const double torch_pe[] = %s;" % c_array(positional(6, 5)))
    with open(os.path.join(here, "attention-torch.h"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
