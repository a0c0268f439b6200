"""PyTorch's side of lesson 08's benchmark: dense causal attention (the score
matrix formed, masked, softmaxed) for the same lengths and head dimension as the
C++ side, best of REPS runs each after one to warm up.

    /usr/bin/python3 benchmark_torch.py THREADS REPS T1 T2 ...

Prints `torch_ms T milliseconds` per length and torch's version, for the C++
benchmark to read. Run by `./workbook bench 08`; not part of the build or tests.
"""

import sys
import time

import torch


def main():
    threads, reps = int(sys.argv[1]), int(sys.argv[2])
    torch.set_num_threads(threads)
    print(f"torch_version {torch.__version__}", flush=True)
    g = torch.Generator().manual_seed(0)
    for T in (int(t) for t in sys.argv[3:]):
        q, k, v = (torch.randn(T, 64, generator=g) for _ in range(3))
        blocked = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
        best = float("inf")
        with torch.no_grad():
            for rep in range(reps + 1):  # the first run only warms up
                start = time.perf_counter()
                scores = (q @ k.T) / 8.0
                scores.masked_fill_(blocked, -torch.inf)
                out = torch.softmax(scores, dim=-1) @ v
                if rep > 0:
                    best = min(best, time.perf_counter() - start)
        assert torch.isfinite(out).all()
        print(f"torch_ms {T} {best * 1e3:.3f}", flush=True)


if __name__ == "__main__":
    main()
