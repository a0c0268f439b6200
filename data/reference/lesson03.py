"""Reference data for lesson 03: simplified self-attention.

Follows section 3.3 of "Build a Large Language Model (From Scratch)" step by
step on the book's six-token input ("Your journey starts with one step"), then
repeats the exercise on seeded random inputs so a hard-coded answer cannot
pass. Each record holds the exact float32 values (float.hex) and what
print(tensor) shows.

Re-run (from the repository root or anywhere) with Debian's torch:

    /usr/bin/python3 data/reference/lesson03.py

It rewrites lesson03.txt next to this file. Output is deterministic.
"""

import os

import torch

NAME = "lesson03"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), NAME + ".txt")


def format_record(name, t):
    """One record: dtype, shape, exact values, then the printed text."""
    assert t.dtype == torch.float32, name
    text = str(t).split("\n")
    lines = [
        f"[{name}]",
        "dtype float32",
        " ".join(["shape"] + [str(d) for d in t.shape]),
        " ".join(["values"] + [float(v).hex() for v in t.flatten().tolist()]),
        f"text {len(text)}",
    ]
    return "\n".join(lines + text) + "\n"


def book_section_3_3():
    """Yield (name, tensor) in the order the book computes them."""
    inputs = torch.tensor(
        [[0.43, 0.15, 0.89],   # Your     (x^1)
         [0.55, 0.87, 0.66],   # journey  (x^2)
         [0.57, 0.85, 0.64],   # starts   (x^3)
         [0.22, 0.58, 0.33],   # with     (x^4)
         [0.77, 0.25, 0.10],   # one      (x^5)
         [0.05, 0.80, 0.55]])  # step     (x^6)
    yield "inputs", inputs

    # Attention scores of the second token against every token, by loop.
    query = inputs[1]
    yield "query", query
    attn_scores_2 = torch.empty(inputs.shape[0])
    for i, x_i in enumerate(inputs):
        attn_scores_2[i] = torch.dot(x_i, query)
    yield "attn_scores_2", attn_scores_2

    # The dot product spelled out. The loop's left-to-right float32 sum is
    # kept as the book writes it: in general it need not match torch.dot
    # to the last bit (here it does).
    res = 0.
    for idx, element in enumerate(inputs[0]):
        res += inputs[0][idx] * query[idx]
    yield "dot_by_loop", res
    yield "dot_torch", torch.dot(inputs[0], query)
    yield "attn_scores_2_matmul", inputs @ query

    # Three normalisations: plain sum, naive softmax, torch.softmax.
    attn_weights_2_tmp = attn_scores_2 / attn_scores_2.sum()
    yield "attn_weights_2_tmp", attn_weights_2_tmp
    yield "attn_weights_2_tmp_sum", attn_weights_2_tmp.sum()

    def softmax_naive(x):
        return torch.exp(x) / torch.exp(x).sum(dim=0)

    attn_weights_2_naive = softmax_naive(attn_scores_2)
    yield "attn_weights_2_naive", attn_weights_2_naive
    yield "attn_weights_2_naive_sum", attn_weights_2_naive.sum()

    attn_weights_2 = torch.softmax(attn_scores_2, dim=0)
    yield "attn_weights_2", attn_weights_2
    yield "attn_weights_2_sum", attn_weights_2.sum()

    # Context vector of token 2 as a weighted sum, accumulated in loop order.
    context_vec_2 = torch.zeros(query.shape)
    for i, x_i in enumerate(inputs):
        context_vec_2 += attn_weights_2[i] * x_i
    yield "context_vec_2", context_vec_2

    # All tokens at once: by double loop, then by matrix product.
    attn_scores_loop = torch.empty(6, 6)
    for i, x_i in enumerate(inputs):
        for j, x_j in enumerate(inputs):
            attn_scores_loop[i, j] = torch.dot(x_i, x_j)
    yield "attn_scores_loop", attn_scores_loop
    attn_scores = inputs @ inputs.T
    yield "attn_scores", attn_scores
    attn_weights = torch.softmax(attn_scores, dim=-1)
    yield "attn_weights", attn_weights
    yield "attn_weights_row_sums", attn_weights.sum(dim=-1)
    yield "all_context_vecs", attn_weights @ inputs

    # Why the naive softmax is avoided: exp(1000) overflows float32 to inf,
    # and inf / inf is nan; torch.softmax subtracts the max first.
    overflow_scores = torch.tensor([1000., 1001., 1002.])
    yield "overflow_scores", overflow_scores
    yield "overflow_naive", softmax_naive(overflow_scores)
    yield "overflow_stable", torch.softmax(overflow_scores, dim=0)


def exercises():
    """The same pipeline on seeded random inputs, for the exercise tests."""
    for seed in (7, 11):
        torch.manual_seed(seed)
        x = torch.rand(5, 4)
        yield f"ex_inputs_seed{seed}", x
        yield f"ex_scores_q0_seed{seed}", x @ x[0]
        yield f"ex_scores_q3_seed{seed}", x @ x[3]
        scores = x @ x.T
        weights = torch.softmax(scores, dim=-1)
        yield f"ex_attn_scores_seed{seed}", scores
        yield f"ex_attn_weights_seed{seed}", weights
        yield f"ex_context_seed{seed}", weights @ x

    # Rows with huge, wide-spread and equal scores: a stable softmax must
    # give finite weights for all of them.
    big = torch.tensor([[1000., 1001., 1002.],
                        [-1000., 0., 1000.],
                        [5., 5., 5.]])
    yield "ex_big_scores", big
    yield "ex_big_softmax", torch.softmax(big, dim=-1)


def main():
    header = (f"# generated by data/reference/{NAME}.py with torch {torch.__version__}; "
              f"do not edit, re-run /usr/bin/python3 data/reference/{NAME}.py\n")
    records = [format_record(name, t)
               for part in (book_section_3_3(), exercises())
               for name, t in part]
    with open(OUT, "w", newline="\n") as out:
        out.write(header + "\n" + "\n".join(records))


if __name__ == "__main__":
    main()
