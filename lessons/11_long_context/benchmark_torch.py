"""PyTorch's side of lesson 11's benchmark: causal attention of one head of width
64 in float32, T tokens, timed and its peak memory measured, in a fresh process.

    /usr/bin/python3 benchmark_torch.py T THREADS DENSE_LIMIT

q, k, v = torch.randn(T, 64) each after torch.manual_seed(0). With torch 2.0 or
later: F.scaled_dot_product_attention(q, k, v, is_causal=True), at every T. torch
1.13 (Debian 12's) has no such function: then the dense computation the book
writes (softmax of q @ k.T / 8 with the future masked to -inf, times v), and only
up to DENSE_LIMIT tokens (its T x T matrices need gigabytes beyond that).

Peak memory: ru_maxrss (resource.getrusage) after the inputs exist, then after the
first call; the difference is what the call needed at its peak. Time: the best of
5 calls (2 above 4,096 tokens, 1 above 8,192). THREADS goes to torch.set_num_threads.

Prints, for the C++ benchmark to read:
    torch_version <version>
    torch_path <what ran>
    torch_seconds <float>
    torch_peak_added_bytes <int>
or only the first two and "torch_skipped <why>". Run by `./workbook bench 11`;
not part of the build or the tests.
"""

import resource
import sys
import time

import torch
import torch.nn.functional as F


def dense_causal(q, k, v):
    T = q.shape[0]
    scores = q @ k.T
    scores.masked_fill_(torch.ones(T, T, dtype=torch.bool).triu_(1), -torch.inf)
    return torch.softmax(scores / k.shape[-1] ** 0.5, dim=-1) @ v


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: benchmark_torch.py T THREADS DENSE_LIMIT")
    T, threads, dense_limit = (int(a) for a in sys.argv[1:])
    torch.set_num_threads(threads)
    has_sdpa = hasattr(F, "scaled_dot_product_attention")
    print(f"torch_version {torch.__version__}")
    if has_sdpa:
        print("torch_path F.scaled_dot_product_attention(is_causal=True)")
        attend = lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True)  # noqa: E731
    else:
        print("torch_path no F.scaled_dot_product_attention in this torch: the dense masked softmax, as the book writes it")
        attend = dense_causal
        if T > dense_limit:
            print(f"torch_skipped the dense path's T x T matrices at T = {T}")
            return
    torch.manual_seed(0)
    q, k, v = torch.randn(T, 64), torch.randn(T, 64), torch.randn(T, 64)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with torch.no_grad():
        start = time.perf_counter()
        attend(q, k, v)
        best = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        repeats = 5 if T <= 4096 else 2 if T <= 8192 else 1
        for _ in range(repeats - 1):
            start = time.perf_counter()
            attend(q, k, v)
            best = min(best, time.perf_counter() - start)
    print(f"torch_seconds {best:.6f}")
    print(f"torch_peak_added_bytes {(after - before) * 1024}")


if __name__ == "__main__":
    main()
