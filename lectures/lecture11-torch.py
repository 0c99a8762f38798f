# SPDX-License-Identifier: GPL-3.0-or-later
"""Lecture 11's network in PyTorch, for the comparison of its section 8.

The same run as `lecture11` with the same knobs: the first --train training
images and the first --test test images of the same IDX files (gzipped or
not), pixels scaled to [0, 1]; a multilayer perceptron 784-H...-10 with ReLU
hidden layers, initialized as the library initializes it (weights Gaussian
with standard deviation sqrt(2/fan_in) for the ReLU layers, He, and
sqrt(2/(fan_in + fan_out)) for the last, Glorot; biases 0); softmax
cross-entropy; the optimizer with the library's hyper-parameters (which are
torch.optim's defaults, momentum and nesterov with 0.9); shuffled
mini-batches; float64, one thread. Prints one line, "test accuracy A", and
exits 0; when torch cannot be imported it says so on standard output and
exits 3 (the lecture then tries another python3). Progress goes to
standard error, only when it is a terminal."""
import argparse
import gzip
import os
import sys


def read_idx(path):
    """The values of an IDX file of unsigned bytes, and its dimensions."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 8:
        sys.exit("%s: not an IDX file of unsigned bytes" % path)
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return data[4 + 4 * dims:], shape


def find(folder, name):
    """The plain file when it is there, else the gzipped one (the library's
    order)."""
    plain = os.path.join(folder, name)
    return plain if os.path.exists(plain) else plain + ".gz"


def load(torch, folder, prefix, limit):
    pixels, shape = read_idx(find(folder, prefix + "-images-idx3-ubyte"))
    labels, lshape = read_idx(find(folder, prefix + "-labels-idx1-ubyte"))
    n = min(limit, shape[0], lshape[0])
    d = shape[1] * shape[2]
    X = torch.frombuffer(bytearray(pixels[:n * d]), dtype=torch.uint8).reshape(n, d)
    y = torch.frombuffer(bytearray(labels[:n]), dtype=torch.uint8).long()
    return X, y


def optimizer(torch, name, params, lr):
    o = torch.optim
    if name == "adam":
        return o.Adam(params, lr=lr)
    if name == "sgd":
        return o.SGD(params, lr=lr)
    if name == "momentum":
        return o.SGD(params, lr=lr, momentum=0.9)
    if name == "nesterov":
        return o.SGD(params, lr=lr, momentum=0.9, nesterov=True)
    if name == "adagrad":
        return o.Adagrad(params, lr=lr)
    if name == "rmsprop":
        return o.RMSprop(params, lr=lr)
    if name == "adadelta":
        return o.Adadelta(params, lr=lr)
    sys.exit("unknown optimizer %s" % name)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--train", type=int, default=6000)
    ap.add_argument("--test", type=int, default=1000)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--optimizer", default="adam")
    ap.add_argument("--lr", type=float, default=0.001)
    ap.add_argument("--hidden", default="128")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    try:
        import torch
    except ImportError:
        print("no torch: %s cannot import torch (Debian: python3-torch)" % sys.executable)
        sys.exit(3)
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    dtype = torch.float64

    Xtr, ytr = load(torch, a.data, "train", a.train)
    Xte, yte = load(torch, a.data, "t10k", a.test)
    sizes = [Xtr.shape[1]] + [int(h) for h in a.hidden.split(",")] + [10]
    layers = []
    for i in range(len(sizes) - 1):
        lin = torch.nn.Linear(sizes[i], sizes[i + 1]).to(dtype)
        last = i == len(sizes) - 2
        std = (2.0 / (sizes[i] + sizes[i + 1])) ** 0.5 if last else (2.0 / sizes[i]) ** 0.5
        with torch.no_grad():
            lin.weight.normal_(0.0, std)
            lin.bias.zero_()
        layers.append(lin)
        if not last:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    opt = optimizer(torch, a.optimizer, model.parameters(), a.lr)
    loss_fn = torch.nn.CrossEntropyLoss()

    n = len(Xtr)
    steps = (n + a.batch - 1) // a.batch
    tty = sys.stderr.isatty()
    for epoch in range(a.epochs):
        order = torch.randperm(n)
        for s in range(steps):
            idx = order[s * a.batch:(s + 1) * a.batch]
            xb = Xtr[idx].to(dtype) / 255.0
            opt.zero_grad()
            loss = loss_fn(model(xb), ytr[idx])
            loss.backward()
            opt.step()
            if tty and (s % 50 == 0 or s == steps - 1):
                print("\rPyTorch: epoch %d of %d, step %d of %d "
                      % (epoch + 1, a.epochs, s + 1, steps), end="", file=sys.stderr,
                      flush=True)
    if tty:
        print("\r" + " " * 60 + "\r", end="", file=sys.stderr, flush=True)

    right = 0
    with torch.no_grad():
        for i in range(0, len(Xte), 1000):
            scores = model(Xte[i:i + 1000].to(dtype) / 255.0)
            right += int((scores.argmax(dim=1) == yte[i:i + 1000]).sum())
    print("test accuracy %.17g" % (right / len(Xte)), flush=True)


if __name__ == "__main__":
    main()
