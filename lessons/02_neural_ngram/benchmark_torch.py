"""PyTorch's side of lesson 02's benchmark: makemore part 2's MLP, trained
exactly as the C++ benchmark trains it (same data split, same model, batch 32,
learning rate 0.1), timed over the same number of steps.

    /usr/bin/python3 benchmark_torch.py NAMES_FILE STEPS

Prints one line, `torch_steps_per_second <float>`, for the C++ benchmark to read.
Run by `./workbook bench 02`; not part of the build or the tests.
"""

import random
import sys
import time

import torch
import torch.nn.functional as F


def build_dataset(words, stoi, block_size=3):
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + ".":
            ix = stoi[ch]
            X.append(context)
            Y.append(ix)
            context = context[1:] + [ix]
    return torch.tensor(X), torch.tensor(Y)


def main():
    names_file, steps = sys.argv[1], int(sys.argv[2])
    words = open(names_file).read().splitlines()
    chars = sorted(set("".join(words)))
    stoi = {s: i + 1 for i, s in enumerate(chars)}
    stoi["."] = 0
    random.seed(42)
    random.shuffle(words)
    Xtr, Ytr = build_dataset(words[: int(0.8 * len(words))], stoi)

    g = torch.Generator().manual_seed(2147483647)
    C = torch.randn((27, 10), generator=g)
    W1 = torch.randn((30, 200), generator=g)
    b1 = torch.randn(200, generator=g)
    W2 = torch.randn((200, 27), generator=g)
    b2 = torch.randn(27, generator=g)
    parameters = [C, W1, b1, W2, b2]
    for p in parameters:
        p.requires_grad = True

    def step():
        ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
        emb = C[Xtr[ix]]
        h = torch.tanh(emb.view(-1, 30) @ W1 + b1)
        logits = h @ W2 + b2
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
    print(f"torch_version {torch.__version__} threads {torch.get_num_threads()}")


if __name__ == "__main__":
    main()
