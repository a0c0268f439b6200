"""PyTorch's side of lesson 10's benchmark: the book's GPTModel on names, trained
exactly as the C++ benchmark trains it, timed over the same number of steps.

    /usr/bin/python3 benchmark_torch.py NAMES_FILE STEPS THREADS [--moe]

The model is the capstone's (data/reference/lesson10.py builds it): vocabulary 27,
context 16, emb_dim 64, 4 heads, 4 layers, no dropout; with --moe each block's
feed-forward is a mixture of 8 experts (hidden 128), top-2. torch.manual_seed(123)
before the model; AdamW(lr 5e-4, betas (0.9, 0.99), weight_decay 0.01, eps 1e-8);
batches of 32 rows of the training split (makemore's, one name a row) drawn with
torch.randint from a generator seeded 42. 10 untimed warm-up steps, then STEPS
timed ones (forward, loss, zero_grad, backward, step). THREADS goes to
torch.set_num_threads.

Prints, for the C++ benchmark to read:
    torch_version <version>
    torch_steps_per_second <float>
    torch_tokens_per_second <float>   (targets that are not padding, per second)
    torch_final_loss <float>          (the last step's loss, aux included for --moe)
Run by `./workbook bench 10`; not part of the build or the tests.

Debian's torch does its matrix products in OpenBLAS (pthreads), which starts its
own threads besides torch's OpenMP ones: with THREADS 2 on a 2-core machine the
two pools fight and a step takes about 3x longer than with THREADS 1. This
script leaves the environment alone (as lesson 02's does); run it with
OPENBLAS_NUM_THREADS=1 to measure torch without the clash.
"""

import os
import sys
import time

import torch

# The model and data exactly as the oracle builds them (data/reference/lesson10.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "reference"))
from lesson10 import CAPSTONE, CAPSTONE_MOE, build_model, build_rows, load_split, model_loss  # noqa: E402

BATCH = 32
WARMUP = 10


def main():
    args = [a for a in sys.argv[1:] if a != "--moe"]
    moe = "--moe" in sys.argv[1:]
    if len(args) != 3:
        sys.exit("usage: benchmark_torch.py NAMES_FILE STEPS THREADS [--moe]")
    names_file, steps, threads = args[0], int(args[1]), int(args[2])
    torch.set_num_threads(threads)
    stoi, _, train, _, _ = load_split(names_file)
    Xtr, Ytr = build_rows(train, stoi)

    model = build_model(CAPSTONE, 123, **(CAPSTONE_MOE if moe else {}))
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=5e-4, betas=(0.9, 0.99), weight_decay=0.01, eps=1e-8)
    g = torch.Generator().manual_seed(42)

    def step():
        ix = torch.randint(0, Xtr.shape[0], (BATCH,), generator=g)
        x, y = Xtr[ix], Ytr[ix]
        loss, _, _, _ = model_loss(model, x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss, (y != -1).sum()

    for _ in range(WARMUP):
        step()
    tokens = 0
    start = time.perf_counter()
    for _ in range(steps):
        loss, n = step()
        tokens += int(n)
    seconds = time.perf_counter() - start
    print(f"torch_version {torch.__version__}")
    print(f"torch_steps_per_second {steps / seconds:.2f}")
    print(f"torch_tokens_per_second {tokens / seconds:.1f}")
    print(f"torch_final_loss {loss.item():.6f}")


if __name__ == "__main__":
    main()
