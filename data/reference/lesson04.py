"""Reference data for lesson 04: self-attention with trainable weights.

Follows section 3.4 of "Build a Large Language Model (From Scratch)" step by
step on the book's six-token input ("Your journey starts with one step"):

1. The walkthrough, twice: the book's configuration (torch.manual_seed(123)
   for the weight matrices and SelfAttention_v1, 789 for SelfAttention_v2,
   d_out = 2; record names as below) and an alternative one (seeds 42 and 7,
   d_out = 3; the same names with the prefix `alt_`), so a hard-coded answer
   cannot pass. In order: the three weight matrices drawn with torch.rand; the
   query, key and value of token 2; all keys and values; the attention score
   of token 2 against itself, its scores against all keys, the weights
   (softmax of the scores divided by sqrt(d_k)) and its context vector; why
   sqrt(d_k): a softmax of small logits and of the same logits times 8; the
   variance of q . k (and of q . k / sqrt(dim)) over 1000 pairs of
   torch.randn vectors per dimension (5, 20, 100), summed in double precision
   in plain Python; SelfAttention_v1 (nn.Parameter(torch.rand)) and
   SelfAttention_v2 (nn.Linear without bias) as the book writes them;
   exercise 3.1 (v1 given v2's weights, transposed, gives v2's output); the
   shapes as torch.Size prints them.
2. For the exercise tests: on seeded torch.rand inputs (5 tokens, 4
   features), Q, K, V from torch.rand weight matrices, the scaled scores, and
   SelfAttention_v2(4, 3) seeded separately.

Each tensor record holds the exact float32 values (float.hex) and what
print(tensor) shows; the forward passes run under torch.no_grad(), so no
text carries a grad_fn.

Re-run (from the repository root or anywhere) with Debian's torch:

    /usr/bin/python3 data/reference/lesson04.py

It rewrites lesson04.txt next to this file (about a second; deterministic).
"""

import math

import torch
import torch.nn as nn

from records import format_record, info, write_reference

NAME = "lesson04"

BOOK_INPUTS = [[0.43, 0.15, 0.89],   # Your     (x^1)
               [0.55, 0.87, 0.66],   # journey  (x^2)
               [0.57, 0.85, 0.64],   # starts   (x^3)
               [0.22, 0.58, 0.33],   # with     (x^4)
               [0.77, 0.25, 0.10],   # one      (x^5)
               [0.05, 0.80, 0.55]]   # step     (x^6)

# (prefix, seed, seed_v2, d_out): the book's run, then an alternative.
CONFIGS = [("", 123, 789, 2), ("alt_", 42, 7, 3)]


class SelfAttention_v1(nn.Module):
    """Listing 3.1: the weight matrices as parameters drawn by torch.rand."""

    def __init__(self, d_in, d_out):
        super().__init__()
        self.W_query = nn.Parameter(torch.rand(d_in, d_out))
        self.W_key = nn.Parameter(torch.rand(d_in, d_out))
        self.W_value = nn.Parameter(torch.rand(d_in, d_out))

    def forward(self, x):
        keys = x @ self.W_key
        queries = x @ self.W_query
        values = x @ self.W_value
        attn_scores = queries @ keys.T  # omega
        attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=-1)
        context_vec = attn_weights @ values
        return context_vec


class SelfAttention_v2(nn.Module):
    """Listing 3.2: nn.Linear layers (no bias) in place of the matrices."""

    def __init__(self, d_in, d_out, qkv_bias=False):
        super().__init__()
        self.W_query = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_key = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_value = nn.Linear(d_in, d_out, bias=qkv_bias)

    def forward(self, x):
        keys = self.W_key(x)
        queries = self.W_query(x)
        values = self.W_value(x)
        attn_scores = queries @ keys.T
        attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=-1)
        context_vec = attn_weights @ values
        return context_vec


def v2_scores_and_weights(sa_v2, x):
    """The scores and weights SelfAttention_v2.forward computes, same ops."""
    keys = sa_v2.W_key(x)
    queries = sa_v2.W_query(x)
    attn_scores = queries @ keys.T
    attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=-1)
    return attn_scores, attn_weights


def shape_info(name, t):
    return info(name, text=[str(t.shape)])


def population_variance(xs):
    """Plain Python, left to right: mean, then the mean squared deviation."""
    n = len(xs)
    total = 0.0
    for x in xs:
        total += x
    mean = total / n
    squares = 0.0
    for x in xs:
        squares += (x - mean) ** 2
    return squares / n


def dot_double(q, k):
    """q . k in double precision, summed left to right."""
    d = 0.0
    for a, b in zip(q.tolist(), k.tolist()):
        d += a * b
    return d


def variance_experiment(prefix, seed, trials=1000):
    """Var(q . k) grows with the dimension; dividing by sqrt(dim) keeps it ~1.

    One global generator stream for all dimensions: per trial q, then k.
    """
    torch.manual_seed(seed)
    for dim in (5, 20, 100):
        dots, scaled = [], []
        for trial in range(trials):
            q = torch.randn(dim)
            k = torch.randn(dim)
            if trial == 0:
                first_q = q
            d = dot_double(q, k)
            dots.append(d)
            scaled.append(d / math.sqrt(dim))
        yield format_record(f"{prefix}randn_first_q_d{dim}", first_q)
        for label, xs in (("dot", dots), ("scaled", scaled)):
            var = population_variance(xs)
            yield info(f"{prefix}var_{label}_d{dim}", value=repr(var), text=[f"{var:.4f}"])


def walkthrough(prefix, seed, seed_v2, d_out):
    """Section 3.4 in the book's order; every record name starts with prefix."""
    inputs = torch.tensor(BOOK_INPUTS)
    yield format_record(f"{prefix}inputs", inputs)
    d_in = inputs.shape[1]

    # The three weight matrices, drawn in this order.
    torch.manual_seed(seed)
    W_query = torch.rand(d_in, d_out)
    W_key = torch.rand(d_in, d_out)
    W_value = torch.rand(d_in, d_out)
    yield format_record(f"{prefix}W_query", W_query)
    yield format_record(f"{prefix}W_key", W_key)
    yield format_record(f"{prefix}W_value", W_value)

    # Token 2 ("journey") projected.
    x_2 = inputs[1]
    query_2 = x_2 @ W_query
    key_2 = x_2 @ W_key
    value_2 = x_2 @ W_value
    yield format_record(f"{prefix}query_2", query_2)
    yield format_record(f"{prefix}key_2", key_2)
    yield format_record(f"{prefix}value_2", value_2)

    keys = inputs @ W_key
    values = inputs @ W_value
    yield format_record(f"{prefix}keys", keys)
    yield format_record(f"{prefix}values", values)
    yield shape_info(f"{prefix}keys_shape", keys)
    yield shape_info(f"{prefix}values_shape", values)

    keys_2 = keys[1]
    attn_score_22 = query_2.dot(keys_2)
    yield format_record(f"{prefix}attn_score_22", attn_score_22)
    attn_scores_2 = query_2 @ keys.T
    yield format_record(f"{prefix}attn_scores_2", attn_scores_2)
    d_k = keys.shape[-1]
    attn_weights_2 = torch.softmax(attn_scores_2 / d_k**0.5, dim=-1)
    yield format_record(f"{prefix}attn_weights_2", attn_weights_2)
    context_vec_2 = attn_weights_2 @ values
    yield format_record(f"{prefix}context_vec_2", context_vec_2)

    # Why divide by sqrt(d_k): larger logits make the softmax peaky.
    t = torch.tensor([0.1, -0.2, 0.3, -0.2, 0.5])
    yield format_record(f"{prefix}sqrt_logits", t)
    yield format_record(f"{prefix}sqrt_softmax", torch.softmax(t, dim=-1))
    yield format_record(f"{prefix}sqrt_logits_x8", t * 8)
    yield format_record(f"{prefix}sqrt_softmax_x8", torch.softmax(t * 8, dim=-1))

    yield from variance_experiment(prefix, seed)

    with torch.no_grad():
        torch.manual_seed(seed)
        sa_v1 = SelfAttention_v1(d_in, d_out)
        yield format_record(f"{prefix}sa_v1_out", sa_v1(inputs))

        torch.manual_seed(seed_v2)
        sa_v2 = SelfAttention_v2(d_in, d_out)
        yield format_record(f"{prefix}sa_v2_W_query_weight", sa_v2.W_query.weight.detach())
        yield format_record(f"{prefix}sa_v2_W_key_weight", sa_v2.W_key.weight.detach())
        yield format_record(f"{prefix}sa_v2_W_value_weight", sa_v2.W_value.weight.detach())
        attn_scores, attn_weights = v2_scores_and_weights(sa_v2, inputs)
        yield format_record(f"{prefix}sa_v2_attn_scores", attn_scores)
        yield format_record(f"{prefix}sa_v2_attn_weights", attn_weights)
        context = sa_v2(inputs)
        yield format_record(f"{prefix}sa_v2_out", context)

        # Exercise 3.1: v1 with v2's weights (transposed) computes the same.
        sa_v1.W_query.data = sa_v2.W_query.weight.T
        sa_v1.W_key.data = sa_v2.W_key.weight.T
        sa_v1.W_value.data = sa_v2.W_value.weight.T
        yield format_record(f"{prefix}ex31_v1_out", sa_v1(inputs))

    yield shape_info(f"{prefix}shape_inputs", inputs)
    yield shape_info(f"{prefix}shape_W_query", W_query)
    yield shape_info(f"{prefix}shape_attn_scores", attn_scores)
    yield shape_info(f"{prefix}shape_context", context)


def exercises():
    """Seeded random inputs and weights, for the exercise tests."""
    for seed in (7, 11):
        torch.manual_seed(seed)
        x = torch.rand(5, 4)
        Wq = torch.rand(4, 3)
        Wk = torch.rand(4, 3)
        Wv = torch.rand(4, 3)
        yield format_record(f"ex_x_seed{seed}", x)
        yield format_record(f"ex_Wq_seed{seed}", Wq)
        yield format_record(f"ex_Wk_seed{seed}", Wk)
        yield format_record(f"ex_Wv_seed{seed}", Wv)
        Q, K, V = x @ Wq, x @ Wk, x @ Wv
        yield format_record(f"ex_Q_seed{seed}", Q)
        yield format_record(f"ex_K_seed{seed}", K)
        yield format_record(f"ex_V_seed{seed}", V)
        yield format_record(f"ex_scaled_scores_seed{seed}", Q @ K.T / K.shape[-1]**0.5)

        with torch.no_grad():
            torch.manual_seed(seed + 100)
            v2 = SelfAttention_v2(4, 3)
            yield format_record(f"ex_v2_Wq_seed{seed}", v2.W_query.weight.detach())
            yield format_record(f"ex_v2_Wk_seed{seed}", v2.W_key.weight.detach())
            yield format_record(f"ex_v2_Wv_seed{seed}", v2.W_value.weight.detach())
            yield format_record(f"ex_v2_out_seed{seed}", v2(x))


def main():
    torch.set_num_threads(1)
    records = [r for config in CONFIGS for r in walkthrough(*config)]
    records += list(exercises())
    write_reference(NAME, records)


if __name__ == "__main__":
    main()
