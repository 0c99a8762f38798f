# SPDX-License-Identifier: GPL-3.0-or-later
"""PyTorch's side of bench-train: the same MLP 784-128-10, softmax
cross-entropy, SGD lr 0.1, one thread, in float64 and then float32; prints
"float64 S" and "float32 S", samples per second of this process's CPU time."""
import argparse
import gzip
import os
import time

import numpy as np
import torch


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(folder, name):
    plain = os.path.join(folder, name)
    return plain if os.path.exists(plain) else plain + ".gz"


def run(images, labels, batch, epochs, dtype):
    torch.manual_seed(1)
    model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(),
                                torch.nn.Linear(128, 10)).to(dtype)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    loss_fn = torch.nn.CrossEntropyLoss()
    X = torch.from_numpy(images.reshape(len(images), -1).copy())
    y = torch.from_numpy(labels.astype(np.int64))
    n = len(X)
    start = time.process_time()
    for _ in range(epochs):
        order = torch.randperm(n)
        for i in range(0, n, batch):
            idx = order[i:i + batch]
            xb = X[idx].to(dtype) / 255.0
            opt.zero_grad()
            loss = loss_fn(model(xb), y[idx])
            loss.backward()
            opt.step()
    return n * epochs / (time.process_time() - start)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    a = ap.parse_args()
    torch.set_num_threads(1)
    images = read_idx(find(a.data, "train-images-idx3-ubyte"))
    labels = read_idx(find(a.data, "train-labels-idx1-ubyte"))
    if a.limit:
        images, labels = images[:a.limit], labels[:a.limit]
    print("float64 %.1f" % run(images, labels, a.batch, a.epochs, torch.float64), flush=True)
    print("float32 %.1f" % run(images, labels, a.batch, a.epochs, torch.float32), flush=True)


if __name__ == "__main__":
    main()
