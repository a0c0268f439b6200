"""Reference data for lesson 08: sparse attention patterns.

A causal model lets query i attend to every key j <= i, so the work and the
memory grow as T^2. Sparse patterns keep only some of those pairs. With
0-based positions (every pattern is causal, j <= i), query i may attend to
key j under:

- causal: j <= i;
- sliding window (w): j <= i and i - j < w (the query and the w - 1 before it);
- strided (l) (Child et al. 2019, "Generating Long Sequences with Sparse
  Transformers"): the union of the "local" head A1 = {j : 0 <= i - j <= l - 1}
  and the "stride" head A2 = {j <= i : (i - j) % l == 0};
- fixed (l, c) (Child et al.): the union of the "block" head
  A1 = {j <= i : j // l == i // l} (the query's own block of l positions) and
  the "summary" head A2 = {j <= i : j % l >= l - c} (the last c positions of
  every block).

The masks are built here from these definitions alone, as boolean "allowed"
matrices from torch.arange broadcasting; the C++ side is written
independently, so the definitions are the contract. This script records:

1. The walkthrough, twice: the lesson's default configuration (seed 123,
   T = 16, window w = 4, stride l = 4, summary c = 1; names as below) and an
   alternative (seed 42, T = 12, w = 5, l = 3, c = 2; prefix `alt_`), so a
   hard-coded answer cannot pass. In order:
   - the grids the lesson prints (a header of key positions mod 10, then one
     row per query: U+25A0 where allowed, U+00B7 where not) of causal,
     window, both strided heads and their union, both fixed heads and their
     union;
   - the number of allowed pairs of each pattern;
   - what two stacked layers of the same pattern reach: key j reaches query
     i if some m has allowed[i][m] and allowed[m][j] (a product of the 0/1
     matrices, > 0), as grids, for window and strided;
   - attention on the book's six-token input ("Your journey starts with one
     step") with lesson 05's CausalAttention(3, 2, 6, 0.0) drawn after
     torch.manual_seed(seed): the scores of its projections masked with each
     pattern at T = 6 (-inf where not allowed), the softmax of the scores
     divided by sqrt(d_k), and the context vectors. The causal ones are
     asserted equal to CausalAttention's own forward pass (its weights
     captured by a hook on its dropout, an identity at p = 0) to within
     1e-6: the forward pass multiplies (1, 6, .) batches with bmm, which can
     round the last bit differently from the 2-D products recorded here.
2. Once: the pair counts of every pattern at a long context, T = 16,384
   (window 256, stride 128, fixed blocks of 128 with c = 8), counted by
   blocks of query rows so that no 16,384^2 matrix is built.
3. For the exercise tests: strided and fixed masks in the book's convention
   (float32, 1.0 where BLOCKED, 0.0 where allowed, like
   torch.triu(torch.ones(T, T), diagonal=1)), and window pair counts.

The script also asserts the patterns' limits: the causal count is
T (T + 1) / 2, strided with l = 1, fixed with c = l and a window w >= T are
all causal.

Each tensor record holds the exact float32 values (float.hex) and what
print(tensor) shows; the forward passes run under torch.no_grad(), so no
text carries a grad_fn. The grids hold non-ASCII characters, so the file is
UTF-8 (the script stops if Python's locale encoding is not).

Re-run (from the repository root or anywhere) with Debian's torch:

    /usr/bin/python3 data/reference/lesson08.py

It rewrites lesson08.txt next to this file (about ten seconds; deterministic).
"""

import locale

import torch

from lesson04 import BOOK_INPUTS
from lesson05 import CausalAttention
from records import format_record, info, write_reference

NAME = "lesson08"

# (prefix, seed, T, w, l, c): the lesson's default, then an alternative.
CONFIGS = [("", 123, 16, 4, 4, 1), ("alt_", 42, 12, 5, 3, 2)]

# The long context: T, window, stride, and the fixed pattern's (l, c).
LONG_T = 16384
LONG_W = 256
LONG_L = 128
LONG_FIXED = (128, 8)

# Query rows per block when counting pairs at a long context.
ROW_BLOCK = 1024

ALLOWED = "\u25a0"   # ■ BLACK SQUARE
BLOCKED = "\u00b7"   # · MIDDLE DOT


# --- The patterns, from their definitions -----------------------------------
#
# Each takes the query positions i (a column) and the key positions j (a row)
# and returns the boolean "allowed" matrix, so a block of rows of a long
# context is built the same way as a whole small grid.

def positions(T, rows=None):
    """Query positions (a column: all T, or the given range) and key positions (a row)."""
    i = torch.arange(T) if rows is None else torch.arange(*rows)
    return i[:, None], torch.arange(T)[None, :]


def causal(i, j):
    return j <= i


def window(i, j, w):
    return (j <= i) & (i - j < w)


def strided_local(i, j, l):
    """Child et al.'s A1: the query and the l - 1 keys before it."""
    return (j <= i) & (i - j <= l - 1)


def strided_stride(i, j, l):
    """Child et al.'s A2: every l-th key back from the query."""
    return (j <= i) & ((i - j) % l == 0)


def strided(i, j, l):
    return strided_local(i, j, l) | strided_stride(i, j, l)


def fixed_block(i, j, l):
    """Child et al.'s A1: the keys in the query's own block of l."""
    return (j <= i) & (j // l == i // l)


def fixed_summary(i, j, l, c):
    """Child et al.'s A2: the last c positions of every block, up to the query."""
    return (j <= i) & (j % l >= l - c)


def fixed(i, j, l, c):
    return fixed_block(i, j, l) | fixed_summary(i, j, l, c)


def allowed(pattern, T, *args):
    """The (T, T) boolean matrix of a pattern."""
    i, j = positions(T)
    return pattern(i, j, *args)


def count_pairs(pattern, T, *args):
    """Allowed pairs of a (T, T) pattern, built ROW_BLOCK query rows at a time."""
    n = 0
    for start in range(0, T, ROW_BLOCK):
        i, j = positions(T, (start, min(start + ROW_BLOCK, T)))
        n += int(pattern(i, j, *args).sum().item())
    return n


def blocked_mask(allowed_matrix):
    """The book's convention: float32, 1.0 where blocked, 0.0 where allowed."""
    return (~allowed_matrix).to(torch.float32)


def two_layers(allowed_matrix):
    """reach[i][j]: some m with allowed[i][m] and allowed[m][j]."""
    a = allowed_matrix.to(torch.float32)
    return (a @ a) > 0


# --- Records ----------------------------------------------------------------

def grid_lines(allowed_matrix):
    """The lesson's grid: key positions mod 10, then one row per query."""
    T = allowed_matrix.shape[1]
    lines = [" " * 4 + " ".join(str(j % 10) for j in range(T))]
    for i, row in enumerate(allowed_matrix.tolist()):
        lines.append(f"{i:>3} " + " ".join(ALLOWED if a else BLOCKED for a in row))
    return lines


def grid(name, allowed_matrix):
    return info(name, text=grid_lines(allowed_matrix))


def count(name, n):
    return info(name, value=n, text=[f"{n:,}"])


def check_limits(T, w, l, c):
    """The patterns' limits, at the configuration's T (asserted, not recorded)."""
    full = allowed(causal, T)
    assert int(full.sum().item()) == T * (T + 1) // 2
    assert torch.equal(allowed(strided, T, 1), full)
    assert torch.equal(allowed(fixed, T, l, l), full)
    assert torch.equal(allowed(window, T, T), full)
    assert torch.equal(allowed(window, T, T + w), full)
    # Each union contains its heads, and every pattern is causal.
    for union, heads in ((allowed(strided, T, l),
                          (allowed(strided_local, T, l), allowed(strided_stride, T, l))),
                         (allowed(fixed, T, l, c),
                          (allowed(fixed_block, T, l), allowed(fixed_summary, T, l, c)))):
        assert torch.equal(union, heads[0] | heads[1])
        assert not (union & ~full).any()


def patterns(T, w, l, c):
    """name -> the (T, T) allowed matrix of each pattern, in the lesson's order."""
    return {
        "causal": allowed(causal, T),
        "window": allowed(window, T, w),
        "strided_local": allowed(strided_local, T, l),
        "strided_stride": allowed(strided_stride, T, l),
        "strided": allowed(strided, T, l),
        "fixed_block": allowed(fixed_block, T, l),
        "fixed_summary": allowed(fixed_summary, T, l, c),
        "fixed": allowed(fixed, T, l, c),
    }


def causal_forward(ca, x):
    """ca(x) on one sequence, and the weights it used (its dropout's output, p = 0)."""
    captured = []
    handle = ca.dropout.register_forward_hook(lambda module, inp, out: captured.append(out))
    try:
        context = ca(x.unsqueeze(0))[0]
    finally:
        handle.remove()
    assert len(captured) == 1
    return context, captured[0][0]


def six_tokens(prefix, seed, w, l, c):
    """Each pattern at T = 6 on the book's input, with CausalAttention's projections."""
    x = torch.tensor(BOOK_INPUTS)
    T = x.shape[0]
    masks = {name: m for name, m in patterns(T, w, l, c).items()
             if name in ("causal", "window", "strided", "fixed")}
    weights, contexts = {}, {}
    with torch.no_grad():
        torch.manual_seed(seed)
        ca = CausalAttention(3, 2, 6, 0.0)
        queries = ca.W_query(x)
        keys = ca.W_key(x)
        values = ca.W_value(x)
        for name, mask in masks.items():
            scores = (queries @ keys.T).masked_fill(~mask, -torch.inf)
            weights[name] = torch.softmax(scores / keys.shape[-1]**0.5, dim=-1)
            contexts[name] = weights[name] @ values
        book_context, book_weights = causal_forward(ca, x)
    # The forward pass multiplies batches (bmm), which may round the last bit
    # differently from the 2-D products above; a mistake would be far larger.
    for mine, book in ((weights["causal"], book_weights), (contexts["causal"], book_context)):
        assert torch.allclose(mine, book, rtol=0, atol=1e-6), (mine, book)
    for name in masks:
        yield format_record(f"{prefix}attn_{name}", weights[name])
    for name in masks:
        yield format_record(f"{prefix}context_{name}", contexts[name])


def walkthrough(prefix, seed, T, w, l, c):
    """Grids, pair counts, two layers, six tokens; every name starts with prefix."""
    check_limits(T, w, l, c)
    grids = patterns(T, w, l, c)
    for name, matrix in grids.items():
        yield grid(f"{prefix}grid_{name}", matrix)
    for name in ("causal", "window", "strided", "fixed"):
        yield count(f"{prefix}pairs_{name}", int(grids[name].sum().item()))
    for name in ("window", "strided"):
        yield grid(f"{prefix}grid_{name}_two_layers", two_layers(grids[name]))
    yield from six_tokens(prefix, seed, w, l, c)


def long_context():
    """Pair counts at T = 16,384, counted by blocks of query rows."""
    T = LONG_T
    n_causal = count_pairs(causal, T)
    n_window = count_pairs(window, T, LONG_W)
    assert n_causal == T * (T + 1) // 2
    assert n_window == sum(min(i + 1, LONG_W) for i in range(T))
    yield count("long_pairs_causal", n_causal)
    yield count("long_pairs_window", n_window)
    yield count("long_pairs_strided", count_pairs(strided, T, LONG_L))
    yield count("long_pairs_fixed", count_pairs(fixed, T, *LONG_FIXED))


def exercises():
    """Masks in the book's convention and window pair counts, for the exercise tests."""
    for T, l in ((8, 3), (10, 4), (7, 2), (5, 1)):
        yield format_record(f"ex_strided_mask_T{T}_l{l}", blocked_mask(allowed(strided, T, l)))
    for T, l, c in ((12, 4, 1), (10, 3, 2), (6, 6, 6)):
        yield format_record(f"ex_fixed_mask_T{T}_l{l}_c{c}",
                            blocked_mask(allowed(fixed, T, l, c)))
    for T, w in ((16, 4), (100, 7), (16384, 256), (9, 9), (1, 1), (5, 3)):
        n = count_pairs(window, T, w)
        assert n == sum(min(i + 1, w) for i in range(T))
        yield count(f"ex_window_pairs_T{T}_w{w}", n)
    # The book's causal mask is the l = 1 strided mask.
    assert torch.equal(blocked_mask(allowed(strided, 5, 1)),
                       torch.triu(torch.ones(5, 5), diagonal=1))


def main():
    # write_reference opens the file in the locale's encoding; the grids need UTF-8.
    encoding = locale.getpreferredencoding(False)
    assert encoding.lower().replace("-", "") == "utf8", (
        f"the locale's encoding is {encoding}; re-run with PYTHONUTF8=1")
    torch.set_num_threads(1)
    records = [r for config in CONFIGS for r in walkthrough(*config)]
    for part in (long_context, exercises):
        records += list(part())
    write_reference(NAME, records)


if __name__ == "__main__":
    main()
