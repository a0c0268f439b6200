"""Reference data for lesson 06: multi-head attention.

Follows section 3.6 of "Build a Large Language Model (From Scratch)" on the
book's six-token input ("Your journey starts with one step"), a batch of two
copies:

1. The walkthrough, twice: the book's configuration (torch.manual_seed(123),
   d_out = 2, 2 heads; record names as below) and an alternative one (seed
   42, d_out = 4 so that MultiHeadAttention's head_dim is 2; the same names
   with the prefix `alt_`), so a hard-coded answer cannot pass. In order: the
   batch's shape; MultiHeadAttentionWrapper (listing 3.4: lesson 05's
   CausalAttention heads side by side), its output and every head's weights;
   MultiHeadAttention (listing 3.5: one projection split into heads, then
   out_proj), its weights, the attention weights and the merged heads before
   out_proj (both captured inside the forward pass by hooks), its output.
2. Once: the book's 4-D batched matrix product and its per-head loop; the
   parameter counts (GPT-2-sized attention counted by torch, 3Blue1Brown's
   GPT-3 accounting as plain arithmetic); the value map as value-down times
   value-up on a small example, and its rank; cross-attention of four French
   tokens (queries) against the six English ones (keys and values), printed
   as the lesson's labelled grid.
3. For the exercise tests: heads split from seeded random tensors (3 heads
   of 2, 2 heads of 3), and the book's exercise 3.2 (a wrapper of two heads
   of d_out = 1).

Each tensor record holds the exact float32 values (float.hex) and what
print(tensor) shows; the forward passes run under torch.no_grad() and the
weights are detached, so no text carries a grad_fn or Parameter.

Re-run (from the repository root or anywhere) with Debian's torch:

    /usr/bin/python3 data/reference/lesson06.py

It rewrites lesson06.txt next to this file (about a second; deterministic).
"""


import torch
import torch.nn as nn

from lesson04 import BOOK_INPUTS
from lesson05 import CausalAttention
from records import format_record, info, write_reference

NAME = "lesson06"

# (prefix, seed, d_out, num_heads): the book's run, then an alternative.
CONFIGS = [("", 123, 2, 2), ("alt_", 42, 4, 2)]

TOKENS = ["Your", "journey", "starts", "with", "one", "step"]
FRENCH = ["Ton", "voyage", "commence", "avec"]
FRENCH_INPUTS = [[0.40, 0.20, 0.85],   # Ton
                 [0.50, 0.90, 0.60],   # voyage
                 [0.60, 0.80, 0.70],   # commence
                 [0.25, 0.55, 0.30]]   # avec


class MultiHeadAttentionWrapper(nn.Module):
    """Listing 3.4: independent causal heads, outputs concatenated."""

    def __init__(self, d_in, d_out, context_length, dropout, num_heads, qkv_bias=False):
        super().__init__()
        self.heads = nn.ModuleList(
            [CausalAttention(d_in, d_out, context_length, dropout, qkv_bias)
             for _ in range(num_heads)])

    def forward(self, x):
        return torch.cat([head(x) for head in self.heads], dim=-1)


class MultiHeadAttention(nn.Module):
    """Listing 3.5: one projection per Q, K, V split into heads, then out_proj."""

    def __init__(self, d_in, d_out, context_length, dropout, num_heads, qkv_bias=False):
        super().__init__()
        assert d_out % num_heads == 0, "d_out must be divisible by num_heads"
        self.d_out = d_out
        self.num_heads = num_heads
        self.head_dim = d_out // num_heads
        self.W_query = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_key = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.W_value = nn.Linear(d_in, d_out, bias=qkv_bias)
        self.out_proj = nn.Linear(d_out, d_out)
        self.dropout = nn.Dropout(dropout)
        self.register_buffer(
            "mask", torch.triu(torch.ones(context_length, context_length), diagonal=1))

    def forward(self, x):
        b, num_tokens, d_in = x.shape
        keys = self.W_key(x)
        queries = self.W_query(x)
        values = self.W_value(x)

        keys = keys.view(b, num_tokens, self.num_heads, self.head_dim)
        values = values.view(b, num_tokens, self.num_heads, self.head_dim)
        queries = queries.view(b, num_tokens, self.num_heads, self.head_dim)

        keys = keys.transpose(1, 2)
        queries = queries.transpose(1, 2)
        values = values.transpose(1, 2)

        attn_scores = queries @ keys.transpose(2, 3)
        mask_bool = self.mask.bool()[:num_tokens, :num_tokens]
        attn_scores.masked_fill_(mask_bool, -torch.inf)
        attn_weights = torch.softmax(attn_scores / keys.shape[-1]**0.5, dim=-1)
        attn_weights = self.dropout(attn_weights)

        context_vec = (attn_weights @ values).transpose(1, 2)
        context_vec = context_vec.contiguous().view(b, num_tokens, self.d_out)
        context_vec = self.out_proj(context_vec)
        return context_vec


def book_batch():
    inputs = torch.tensor(BOOK_INPUTS)
    return torch.stack((inputs, inputs), dim=0)


def shape_info(name, t):
    return info(name, text=[str(t.shape)])


def count(name, n):
    return info(name, value=n, text=[f"{n:,}"])


def forward_with_internals(mha, x):
    """mha(x), the attention weights after dropout, and the merged heads.

    Hooks on the dropout module (its output) and on out_proj (its input)
    capture them from this very call, so the class stays the book's.
    """
    captured = {}
    handles = [
        mha.dropout.register_forward_hook(
            lambda module, inp, out: captured.setdefault("weights", out)),
        mha.out_proj.register_forward_pre_hook(
            lambda module, inp: captured.setdefault("before_proj", inp[0])),
    ]
    try:
        out = mha(x)
    finally:
        for handle in handles:
            handle.remove()
    return out, captured["weights"], captured["before_proj"]


def wrapper_records(prefix, seed, d_out, num_heads, x):
    with torch.no_grad():
        torch.manual_seed(seed)
        mha_wrapper = MultiHeadAttentionWrapper(3, d_out, 6, 0.0, num_heads=num_heads)
        out = mha_wrapper(x)
    yield format_record(f"{prefix}wrapper_out", out)
    yield shape_info(f"{prefix}wrapper_out_shape", out)
    for h, head in enumerate(mha_wrapper.heads):
        for proj in ("W_query", "W_key", "W_value"):
            yield format_record(f"{prefix}wrapper_head{h}_{proj}_weight",
                                getattr(head, proj).weight.detach())


def mha_records(prefix, seed, d_out, num_heads, x):
    with torch.no_grad():
        torch.manual_seed(seed)
        mha = MultiHeadAttention(3, d_out, 6, 0.0, num_heads=num_heads)
        out, attn_weights, before_proj = forward_with_internals(mha, x)
    for proj in ("W_query", "W_key", "W_value", "out_proj"):
        yield format_record(f"{prefix}mha_{proj}_weight", getattr(mha, proj).weight.detach())
    yield format_record(f"{prefix}mha_out_proj_bias", mha.out_proj.bias.detach())
    yield format_record(f"{prefix}mha_attn_weights", attn_weights)
    yield format_record(f"{prefix}mha_context_before_proj", before_proj)
    yield format_record(f"{prefix}mha_out", out)
    yield shape_info(f"{prefix}mha_out_shape", out)


def walkthrough(prefix, seed, d_out, num_heads):
    """Section 3.6 in the book's order; every record name starts with prefix."""
    batch = book_batch()
    yield shape_info(f"{prefix}batch_shape", batch)
    yield from wrapper_records(prefix, seed, d_out, num_heads, batch)
    yield from mha_records(prefix, seed, d_out, num_heads, batch)


def batched_matmul_example():
    """The book's 4-D product: (1, 2, 3, 4) @ its transpose, then head by head."""
    a = torch.tensor([[[[0.2745, 0.6584, 0.2775, 0.8573],
                        [0.8993, 0.0390, 0.9268, 0.7388],
                        [0.7179, 0.7058, 0.9156, 0.4340]],
                       [[0.0772, 0.3565, 0.1479, 0.5331],
                        [0.4066, 0.2318, 0.4545, 0.9737],
                        [0.4606, 0.5159, 0.4220, 0.5786]]]])
    yield format_record("a4d", a)
    yield format_record("a4d_matmul", a @ a.transpose(2, 3))
    first_head = a[0, 0, :, :]
    first_res = first_head @ first_head.T
    yield format_record("a4d_first_res", first_res)
    second_head = a[0, 1, :, :]
    second_res = second_head @ second_head.T
    yield format_record("a4d_second_res", second_res)


def num_params(module):
    return sum(p.numel() for p in module.parameters())


def parameter_counts():
    """GPT-2-sized attention counted by torch; GPT-3 by 3Blue1Brown's arithmetic."""
    yield count("params_gpt2_mha",
                num_params(MultiHeadAttention(768, 768, 1024, 0.0, num_heads=12)))
    yield count("params_gpt2_wrapper",
                num_params(MultiHeadAttentionWrapper(768, 64, 1024, 0.0, num_heads=12)))
    # d_model 12288, a 128-dimensional query/key space, and the value map as
    # value-down (12288 x 128) then value-up (128 x 12288).
    query = 12288 * 128
    key = 12288 * 128
    value_down = 12288 * 128
    value_up = 128 * 12288
    per_head = query + key + value_down + value_up
    per_block = per_head * 96
    yield count("gpt3_query", query)
    yield count("gpt3_key", key)
    yield count("gpt3_value_down", value_down)
    yield count("gpt3_value_up", value_up)
    yield count("gpt3_per_head", per_head)
    yield count("gpt3_per_block", per_block)
    yield count("gpt3_all_attention", per_block * 96)


def low_rank_value_map():
    """A 6x6 value map of rank 2: down to 2 dimensions and back up."""
    torch.manual_seed(123)
    value_down = torch.rand(6, 2)
    value_up = torch.rand(2, 6)
    value_map = value_down @ value_up
    x = torch.rand(3, 6)
    yield format_record("value_down", value_down)
    yield format_record("value_up", value_up)
    yield format_record("value_map", value_map)
    yield format_record("lowrank_x", x)
    yield format_record("lowrank_two_steps", (x @ value_down) @ value_up)
    yield format_record("lowrank_one_step", x @ value_map)
    yield info("value_map_rank", value=torch.linalg.matrix_rank(value_map).item())


def alignment_rows(row_tokens, weights):
    """The grid the lesson prints: a row per query token, a column per key."""
    return [f"{token:>10}" + "".join(f"{w:>9.4f}" for w in row)
            for token, row in zip(row_tokens, weights.tolist())]


def cross_attention(seed=123, d_out=2):
    """Queries from the French tokens, keys and values from the English ones."""
    english = torch.tensor(BOOK_INPUTS)
    french = torch.tensor(FRENCH_INPUTS)
    with torch.no_grad():
        torch.manual_seed(seed)
        W_query = nn.Linear(3, d_out, bias=False)
        W_key = nn.Linear(3, d_out, bias=False)
        W_value = nn.Linear(3, d_out, bias=False)
        keys = W_key(english)
        scores = W_query(french) @ keys.T
        weights = torch.softmax(scores / keys.shape[-1]**0.5, dim=-1)
        context = weights @ W_value(english)
    yield format_record("cross_weights", weights)
    yield format_record("cross_context", context)
    yield info("cross_weights_rows", text=alignment_rows(FRENCH, weights))


def exercises():
    """Seeded random cases, for the exercise tests."""
    for seed in (7, 11):
        torch.manual_seed(seed)
        x = torch.rand(2, 5, 6)
        yield format_record(f"ex_split_x_seed{seed}", x)
        yield format_record(f"ex_split_heads3_seed{seed}", x.view(2, 5, 3, 2).transpose(1, 2))
        yield format_record(f"ex_split_heads2_seed{seed}", x.view(2, 5, 2, 3).transpose(1, 2))

        # Exercise 3.2: two heads of d_out = 1 give a 2-dimensional output.
        with torch.no_grad():
            torch.manual_seed(seed)
            w = MultiHeadAttentionWrapper(3, 1, 6, 0.0, num_heads=2)
            yield format_record(f"ex32_out_seed{seed}", w(book_batch()))


def main():
    torch.set_num_threads(1)
    records = [r for config in CONFIGS for r in walkthrough(*config)]
    for part in (batched_matmul_example, parameter_counts, low_rank_value_map,
                 cross_attention, exercises):
        records += list(part())
    write_reference(NAME, records)


if __name__ == "__main__":
    main()
