"""Reference data for lesson 12: ring attention across processes.

Ring attention computes the same numbers as attention in one process, so the
oracle is plain torch:

1. The walkthrough's six tokens: the book's inputs through lesson 05's
   SelfAttention_v2 (torch.manual_seed(789), d_out 2): queries, keys, values,
   and the attention output, causal (softmax of the masked scores / sqrt(2),
   times the values) and full (no mask, for --no-causal).
2. The random run `--tokens 1000 --dim 16` (torch.manual_seed(0); q, k, v =
   torch.randn(1000, 16) three times): v's first and last two rows, and the
   causal output's first and last three rows, first 4 channels each, as the
   lesson prints them.
3. For the exercise tests: the ring schedule for 1 to 6 ranks (row r, column s:
   the block rank r holds at step s, torch.roll(torch.arange(P), s)[r]); the
   block sizes torch.tensor_split gives for several (tokens, ranks); and the
   bytes the ring sends for those splits at a few widths, full and causal
   (block b makes P - 1 hops in the full ring, P - 1 - b causal; 4 bytes a number).

Re-run with Debian's torch (a second; deterministic):

    /usr/bin/python3 data/reference/lesson12.py
"""

import torch

from lesson04 import BOOK_INPUTS, SelfAttention_v2
from records import format_record, info, write_reference

NAME = "lesson12"

SPLITS = [(6, 1), (6, 2), (6, 3), (6, 4), (6, 5), (6, 6), (7, 3), (1000, 3), (1001, 4), (8192, 4), (10, 7)]
WIDTHS = [(2, 2), (64, 64), (16, 8)]


def attention(q, k, v, causal):
    scores = q @ k.T / k.shape[-1] ** 0.5
    if causal:
        T = q.shape[0]
        scores = scores.masked_fill(torch.triu(torch.ones(T, T, dtype=torch.bool), 1), -torch.inf)
    return torch.softmax(scores, dim=-1) @ v


def book_tokens():
    inputs = torch.tensor(BOOK_INPUTS)
    with torch.no_grad():
        torch.manual_seed(789)
        sa = SelfAttention_v2(3, 2)
        q, k, v = sa.W_query(inputs), sa.W_key(inputs), sa.W_value(inputs)
    yield format_record("queries", q)
    yield format_record("keys", k)
    yield format_record("values", v)
    yield format_record("context", attention(q, k, v, True))
    yield format_record("context_full", attention(q, k, v, False))


def corners(x, n):
    return torch.cat([x[:n, :4], x[-n:, :4]]).contiguous()


def random_run():
    torch.manual_seed(0)
    q, k, v = torch.randn(1000, 16), torch.randn(1000, 16), torch.randn(1000, 16)
    yield format_record("random_v_corners", corners(v, 2))
    yield format_record("random_context_corners", corners(attention(q, k, v, True), 3))


def hops(P, b, causal):
    return P - 1 - b if causal else P - 1


def exercises():
    for P in range(1, 7):
        table = torch.stack([torch.roll(torch.arange(P), s) for s in range(P)], dim=1)
        yield format_record(f"ex_held_P{P}", table)
    for T, P in SPLITS:
        sizes = [len(block) for block in torch.tensor_split(torch.arange(T), P)]
        yield format_record(f"ex_sizes_T{T}_P{P}", torch.tensor(sizes, dtype=torch.int64))
        for dk, dv in WIDTHS:
            for causal in (False, True):
                total = sum(hops(P, b, causal) * n * (dk + dv) * 4 for b, n in enumerate(sizes))
                yield info(f"ex_bytes_T{T}_P{P}_dk{dk}_dv{dv}_{'causal' if causal else 'full'}", total)


def main():
    torch.set_num_threads(1)
    write_reference(NAME, list(book_tokens()) + list(random_run()) + list(exercises()))


if __name__ == "__main__":
    main()
