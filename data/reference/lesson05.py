"""Reference data for lesson 05: causal attention with dropout.

Follows section 3.5 of "Build a Large Language Model (From Scratch)" step by
step on the book's six-token input ("Your journey starts with one step"):

1. The walkthrough, twice: the book's configuration (torch.manual_seed(789)
   for SelfAttention_v2, 123 for the dropout masks and CausalAttention,
   d_out = 2; record names as below) and an alternative one (seeds 7 and 42,
   d_out = 3; the same names with the prefix `alt_`), so a hard-coded answer
   cannot pass. In order: the queries, keys, scores and weights of lesson 04's
   SelfAttention_v2; the simple mask (weights times a lower triangle of ones,
   then rows renormalised); the -inf mask (scores masked above the diagonal,
   then softmax); nn.Dropout(0.5) on a matrix of ones and on the causal
   weights, each right after torch.manual_seed(seed); a batch of two copies
   of the input; CausalAttention as the book writes it (dropout 0.0, then
   0.5, both in training mode), with the weights after dropout that the
   second forward pass used.
2. For the exercise tests: a causal softmax of seeded random scores,
   F.dropout of seeded random matrices (p = 0.5 and 0.2), and causal
   attention of seeded random inputs from torch.rand weight matrices.

Dropout in training mode draws its mask with bernoulli_(1 - p) from the
global generator and scales the kept values by 1 / (1 - p); data/reference/
rng.py records the raw streams.

Each tensor record holds the exact float32 values (float.hex) and what
print(tensor) shows; the forward passes run under torch.no_grad(), so no
text carries a grad_fn.

Re-run (from the repository root or anywhere) with Debian's torch:

    /usr/bin/python3 data/reference/lesson05.py

It rewrites lesson05.txt next to this file (about a second; deterministic).
"""


import torch
import torch.nn as nn

from lesson04 import BOOK_INPUTS, CONFIGS, SelfAttention_v2
from records import format_record, info, write_reference

NAME = "lesson05"


class CausalAttention(nn.Module):
    """Listing 3.3: masked attention with dropout on the weights."""

    def __init__(self, d_in, d_out, context_length, dropout, qkv_bias=False):
        super().__init__()
        self.d_out = d_out
        self.W_query = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_key = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_value = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.dropout = nn.Dropout(dropout)
        self.register_buffer(
            "mask", torch.triu(torch.ones(context_length, context_length), diagonal=1))

    def forward(self, x):
        b, num_tokens, d_in = x.shape
        keys = self.W_key(x)
        queries = self.W_query(x)
        values = self.W_value(x)

        attn_scores = queries @ keys.transpose(1, 2)
        attn_scores.masked_fill_(self.mask.bool()[:num_tokens, :num_tokens], -torch.inf)
        attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=-1)
        attn_weights = self.dropout(attn_weights)

        context_vec = attn_weights @ values
        return context_vec


def causal_mask(n):
    """True above the diagonal: the future tokens a query may not see."""
    return torch.triu(torch.ones(n, n), diagonal=1).bool()


def forward_with_dropped_weights(ca, x):
    """ca(x), and the weights after dropout that this very call used.

    A forward hook on the dropout module captures its output, so nothing is
    recomputed and the generator is consumed exactly as by a plain call.
    """
    captured = []
    handle = ca.dropout.register_forward_hook(lambda module, inp, out: captured.append(out))
    try:
        context = ca(x)
    finally:
        handle.remove()
    assert len(captured) == 1
    return context, captured[0]


def walkthrough(prefix, seed, seed_v2, d_out):
    """Section 3.5 in the book's order; every record name starts with prefix."""
    inputs = torch.tensor(BOOK_INPUTS)
    d_in = inputs.shape[1]

    with torch.no_grad():
        torch.manual_seed(seed_v2)
        sa_v2 = SelfAttention_v2(d_in, d_out)
        queries = sa_v2.W_query(inputs)
        keys = sa_v2.W_key(inputs)
        attn_scores = queries @ keys.T
        attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=-1)
    yield format_record(f"{prefix}queries", queries)
    yield format_record(f"{prefix}keys", keys)
    yield format_record(f"{prefix}attn_scores", attn_scores)
    yield format_record(f"{prefix}attn_weights", attn_weights)

    # The simple mask: zero the future, then renormalise each row.
    context_length = attn_scores.shape[0]
    mask_simple = torch.tril(torch.ones(context_length, context_length))
    masked_simple = attn_weights * mask_simple
    row_sums = masked_simple.sum(dim=-1, keepdim=True)
    masked_simple_norm = masked_simple / row_sums
    yield format_record(f"{prefix}mask_simple", mask_simple)
    yield format_record(f"{prefix}masked_simple", masked_simple)
    yield format_record(f"{prefix}row_sums", row_sums)
    yield format_record(f"{prefix}masked_simple_norm", masked_simple_norm)

    # The -inf mask: one softmax over the visible scores only.
    mask = torch.triu(torch.ones(context_length, context_length), diagonal=1)
    masked = attn_scores.masked_fill(mask.bool(), -torch.inf)
    attn_weights_causal = torch.softmax(masked / keys.shape[-1]**0.5, dim=1)
    yield format_record(f"{prefix}mask", mask)
    yield format_record(f"{prefix}masked", masked)
    yield format_record(f"{prefix}attn_weights_causal", attn_weights_causal)

    # Dropout (training mode, the module's default): kept values scaled by 2.
    torch.manual_seed(seed)
    dropout = torch.nn.Dropout(0.5)
    example = torch.ones(6, 6)
    yield format_record(f"{prefix}dropout_ones", dropout(example))
    torch.manual_seed(seed)
    yield format_record(f"{prefix}dropout_weights", dropout(attn_weights_causal))

    batch = torch.stack((inputs, inputs), dim=0)
    yield info(f"{prefix}batch_shape", text=[str(batch.shape)])

    with torch.no_grad():
        torch.manual_seed(seed)
        ca = CausalAttention(d_in, d_out, context_length, 0.0)
        yield format_record(f"{prefix}ca_W_query_weight", ca.W_query.weight.detach())
        yield format_record(f"{prefix}ca_W_key_weight", ca.W_key.weight.detach())
        yield format_record(f"{prefix}ca_W_value_weight", ca.W_value.weight.detach())
        context_vecs = ca(batch)
        yield format_record(f"{prefix}context_vecs", context_vecs)
        yield info(f"{prefix}context_vecs_shape", text=[str(context_vecs.shape)])

        # Dropout 0.5: the same weights (same seed), then the forward pass
        # draws the dropout mask from the generator right where it stands.
        torch.manual_seed(seed)
        ca_drop = CausalAttention(d_in, d_out, context_length, 0.5)
        context_vecs_dropout, attn_weights_dropout = forward_with_dropped_weights(ca_drop, batch)
        yield format_record(f"{prefix}context_vecs_dropout", context_vecs_dropout)
        yield format_record(f"{prefix}attn_weights_dropout", attn_weights_dropout)


def exercises():
    """Seeded random cases, for the exercise tests."""
    for seed in (7, 11):
        # 5.1: causal softmax, no scaling.
        torch.manual_seed(seed)
        s = torch.rand(5, 5) * 4 - 2
        yield format_record(f"ex_scores_seed{seed}", s)
        yield format_record(f"ex_causal_weights_seed{seed}",
                            torch.softmax(s.masked_fill(causal_mask(5), -torch.inf), dim=-1))

        # 5.2: dropout, with its mask drawn right after the input.
        for p in (0.5, 0.2):
            torch.manual_seed(seed)
            x = torch.rand(4, 5)
            out = torch.nn.functional.dropout(x, p, training=True)
            yield format_record(f"ex_dropout_x_seed{seed}_p{int(p * 10)}", x)
            yield format_record(f"ex_dropout_out_seed{seed}_p{int(p * 10)}", out)

        # 5.3: causal attention of one sequence, no dropout.
        torch.manual_seed(seed)
        x = torch.rand(5, 4)
        Wq = torch.rand(4, 3)
        Wk = torch.rand(4, 3)
        Wv = torch.rand(4, 3)
        scores = (x @ Wq) @ (x @ Wk).T
        weights = torch.softmax(scores.masked_fill(causal_mask(5), -torch.inf) / 3**0.5, dim=-1)
        yield format_record(f"ex_ca_x_seed{seed}", x)
        yield format_record(f"ex_ca_Wq_seed{seed}", Wq)
        yield format_record(f"ex_ca_Wk_seed{seed}", Wk)
        yield format_record(f"ex_ca_Wv_seed{seed}", Wv)
        yield format_record(f"ex_ca_out_seed{seed}", weights @ (x @ Wv))


def main():
    torch.set_num_threads(1)
    records = [r for config in CONFIGS for r in walkthrough(*config)]
    records += list(exercises())
    write_reference(NAME, records)


if __name__ == "__main__":
    main()
