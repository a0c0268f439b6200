"""PyTorch's side of lesson 02's benchmark: makemore part 2's MLP, trained
exactly as the C++ benchmark trains it (same data split, same model, batch 32,
learning rate 0.1), timed over the same number of steps.

    /usr/bin/python3 benchmark_torch.py NAMES_FILE STEPS THREADS

THREADS goes to torch.set_num_threads. Prints `torch_steps_per_second <float>`
and torch's version for the C++ benchmark to read.
Run by `./workbook bench 02`; not part of the build or the tests.
"""

import os
import random
import sys
import time

import torch
import torch.nn.functional as F

# The model and data exactly as the oracle builds them (data/reference/lesson02.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "reference"))
from lesson02 import build_dataset, mlp_logits, mlp_parameters, vocabulary  # noqa: E402


def main():
    names_file, steps, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    torch.set_num_threads(threads)
    words = open(names_file).read().splitlines()
    stoi, _ = vocabulary(words)
    random.seed(42)
    random.shuffle(words)
    Xtr, Ytr = build_dataset(words[: int(0.8 * len(words))], stoi)

    g = torch.Generator().manual_seed(2147483647)
    parameters = mlp_parameters(g)
    for p in parameters:
        p.requires_grad = True

    def step():
        ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
        logits = mlp_logits(parameters, Xtr[ix])
        loss = F.cross_entropy(logits, Ytr[ix])
        for p in parameters:
            p.grad = None
        loss.backward()
        for p in parameters:
            p.data += -0.1 * p.grad

    for _ in range(min(1000, steps)):  # warm up
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = time.perf_counter() - start
    print(f"torch_steps_per_second {steps / seconds:.1f}")
    print(f"torch_version {torch.__version__}")


if __name__ == "__main__":
    main()
