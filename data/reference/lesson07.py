"""Reference data for lesson 07: grouped-query and multi-query attention.

Lesson 06's MultiHeadAttention gives every query head its own key and value
head. Grouped-query attention (GQA, Ainslie et al. 2023; Llama 2 70B, Llama 3)
keeps all the query heads but only num_kv_heads key/value heads, each shared
by a group of num_heads / num_kv_heads query heads; with one K/V head it is
multi-query attention (MQA, Shazeer 2019). This script records, on the book's
six-token input (a batch of two copies):

1. The walkthrough, twice: the lesson's default configuration (seed 123,
   d_out 8, 4 query heads, 2 K/V heads; names as below) and an alternative
   (seed 42, d_out 12, 6 query heads, 2 K/V heads; prefix `alt_`). In order:
   which K/V head each query head reads; the projections' weight shapes; the
   keys per K/V head and repeated to one per query head; each head's attention
   weights as the lesson's labelled grid; the output. Then the same module
   with as many K/V heads as query heads, which must be (and is asserted to
   be) lesson 06's MultiHeadAttention, recorded from that class; then with one
   K/V head (MQA); then the three modules' parameter counts.
2. Once: Llama 3.1 8B from its architecture table (32 layers, d_model 4096,
   32 query heads, 8 K/V heads, head_dim 128, FFN 14,336, vocabulary 128,256,
   RoPE base 500,000, context 131,072). Its parameters are counted by torch on a
   skeleton built on the meta device (shapes without memory): attention per
   layer and in all, the K/V projections for MHA, GQA and MQA, the total. The
   KV cache of MHA, GQA and MQA in bf16: the bytes of a meta tensor holding K
   and V for every layer, per token and at the full context, as table rows.
3. For the exercise tests: query-head-to-K/V-head maps, KV-cache sizes of
   other models, and repeat_interleave on seeded random keys.

Re-run with Debian's torch (about a second; deterministic):

    /usr/bin/python3 data/reference/lesson07.py
"""

import torch
import torch.nn as nn

from lesson06 import MultiHeadAttention, alignment_rows, book_batch, count, num_params, shape_info
from records import format_record, info, write_reference

NAME = "lesson07"

# (prefix, seed, d_out, num_heads, num_kv_heads)
CONFIGS = [("", 123, 8, 4, 2), ("alt_", 42, 12, 6, 2)]

TOKENS = ["Your", "journey", "starts", "with", "one", "step"]


class GroupedQueryAttention(nn.Module):
    """The book's MultiHeadAttention with fewer key/value heads than query heads.

    The weights are drawn in MultiHeadAttention's order (W_query, W_key,
    W_value, out_proj), so num_kv_heads == num_heads gives the same module.
    """

    def __init__(self, d_in, d_out, context_length, dropout, num_heads, num_kv_heads):
        super().__init__()
        assert d_out % num_heads == 0 and num_heads % num_kv_heads == 0
        self.num_heads = num_heads
        self.num_kv_heads = num_kv_heads
        self.head_dim = d_out // num_heads
        self.d_out = d_out
        self.W_query = nn.Linear(d_in, d_out, bias=False)
        self.W_key = nn.Linear(d_in, num_kv_heads * self.head_dim, bias=False)
        self.W_value = nn.Linear(d_in, num_kv_heads * self.head_dim, bias=False)
        self.out_proj = nn.Linear(d_out, d_out)
        self.dropout = nn.Dropout(dropout)
        self.register_buffer(
            "mask", torch.triu(torch.ones(context_length, context_length), diagonal=1))

    def project(self, x):
        """Queries (b, H, T, hd); keys and values (b, H_kv, T, hd)."""
        b, t, _ = x.shape
        q = self.W_query(x).view(b, t, self.num_heads, self.head_dim).transpose(1, 2)
        k = self.W_key(x).view(b, t, self.num_kv_heads, self.head_dim).transpose(1, 2)
        v = self.W_value(x).view(b, t, self.num_kv_heads, self.head_dim).transpose(1, 2)
        return q, k, v

    def forward(self, x, internals=None):
        b, t, _ = x.shape
        q, k, v = self.project(x)
        groups = self.num_heads // self.num_kv_heads
        k_rep = k.repeat_interleave(groups, dim=1)
        v_rep = v.repeat_interleave(groups, dim=1)
        scores = q @ k_rep.transpose(2, 3)
        scores.masked_fill_(self.mask.bool()[:t, :t], -torch.inf)
        weights = self.dropout(torch.softmax(scores / self.head_dim**0.5, dim=-1))
        context = (weights @ v_rep).transpose(1, 2).contiguous().view(b, t, self.d_out)
        if internals is not None:
            internals.update(keys=k, keys_repeated=k_rep, weights=weights)
        return self.out_proj(context)


def head_map_lines(num_heads, num_kv_heads):
    kv_of = torch.arange(num_kv_heads).repeat_interleave(num_heads // num_kv_heads)
    return [f"  query head {h} reads K/V head {kv}" for h, kv in enumerate(kv_of.tolist())]


def walkthrough(prefix, seed, d_out, num_heads, num_kv_heads):
    x = book_batch()
    yield info(f"{prefix}head_map", text=head_map_lines(num_heads, num_kv_heads))
    with torch.no_grad():
        torch.manual_seed(seed)
        gqa = GroupedQueryAttention(3, d_out, 6, 0.0, num_heads, num_kv_heads)
        internals = {}
        out = gqa(x, internals)
    for proj in ("W_query", "W_key", "W_value"):
        yield shape_info(f"{prefix}{proj}_shape", getattr(gqa, proj).weight)
    yield format_record(f"{prefix}gqa_keys", internals["keys"][0])
    yield format_record(f"{prefix}gqa_keys_repeated", internals["keys_repeated"][0])
    yield format_record(f"{prefix}gqa_attn_weights", internals["weights"])
    for h in range(num_heads):
        yield info(f"{prefix}gqa_attn_rows_head{h}",
                   text=alignment_rows(TOKENS, internals["weights"][0, h]))
    yield format_record(f"{prefix}gqa_out", out)
    yield shape_info(f"{prefix}gqa_out_shape", out)

    with torch.no_grad():
        torch.manual_seed(seed)
        as_mha = GroupedQueryAttention(3, d_out, 6, 0.0, num_heads, num_heads)
        torch.manual_seed(seed)
        mha = MultiHeadAttention(3, d_out, 6, 0.0, num_heads)
        mha_out = mha(x)
        assert torch.equal(as_mha(x), mha_out), "GQA with num_kv_heads == num_heads must be MHA"
        torch.manual_seed(seed)
        mqa = GroupedQueryAttention(3, d_out, 6, 0.0, num_heads, 1)
        mqa_out = mqa(x)
    yield format_record(f"{prefix}mha_out", mha_out)
    yield format_record(f"{prefix}mqa_out", mqa_out)
    yield count(f"{prefix}params_mha", num_params(mha))
    yield count(f"{prefix}params_gqa", num_params(gqa))
    yield count(f"{prefix}params_mqa", num_params(mqa))


# Llama 3.1 8B's architecture table (Meta's model card and params.json).
LLAMA_3_1_8B = dict(layers=32, d_model=4096, heads=32, kv_heads=8, head_dim=128,
                    ffn=14336, vocab=128256, rope_base=500000.0, context=131072)


class LlamaBlock(nn.Module):
    """One decoder layer's parameters: attention, SwiGLU feed-forward, two RMSNorms."""

    def __init__(self, c, kv_heads):
        super().__init__()
        kv_width = kv_heads * c["head_dim"]
        self.q_proj = nn.Linear(c["d_model"], c["heads"] * c["head_dim"], bias=False, device="meta")
        self.k_proj = nn.Linear(c["d_model"], kv_width, bias=False, device="meta")
        self.v_proj = nn.Linear(c["d_model"], kv_width, bias=False, device="meta")
        self.o_proj = nn.Linear(c["heads"] * c["head_dim"], c["d_model"], bias=False, device="meta")
        self.gate_proj = nn.Linear(c["d_model"], c["ffn"], bias=False, device="meta")
        self.up_proj = nn.Linear(c["d_model"], c["ffn"], bias=False, device="meta")
        self.down_proj = nn.Linear(c["ffn"], c["d_model"], bias=False, device="meta")
        self.attention_norm = nn.Parameter(torch.ones(c["d_model"], device="meta"))
        self.ffn_norm = nn.Parameter(torch.ones(c["d_model"], device="meta"))


class Llama(nn.Module):
    def __init__(self, c, kv_heads):
        super().__init__()
        self.embed_tokens = nn.Embedding(c["vocab"], c["d_model"], device="meta")
        self.layers = nn.ModuleList([LlamaBlock(c, kv_heads) for _ in range(c["layers"])])
        self.norm = nn.Parameter(torch.ones(c["d_model"], device="meta"))
        self.lm_head = nn.Linear(c["d_model"], c["vocab"], bias=False, device="meta")


def attention_params(block):
    return sum(num_params(getattr(block, p)) for p in ("q_proj", "k_proj", "v_proj", "o_proj"))


def kv_cache_bytes(layers, kv_heads, head_dim, tokens, dtype):
    """The bytes of K and V for every layer and token, as a meta tensor measures them."""
    cache = torch.empty(layers, 2, kv_heads, tokens, head_dim, dtype=dtype, device="meta")
    return cache.numel() * cache.element_size()


def human_bytes(n):
    """1,024-based units, as the lesson prints them: '128 KiB', '16 GiB', '1.5 MiB'."""
    units = ["bytes", "KiB", "MiB", "GiB", "TiB"]
    u = 0
    while u + 1 < len(units) and n >= 1024 ** (u + 1):
        u += 1
    value = n / 1024 ** u
    return f"{int(value)} {units[u]}" if value == int(value) else f"{value:.1f} {units[u]}"


def kv_table_line(label, kv_heads, per_token, at_context):
    return f"  {label:<4}{kv_heads:>10}{per_token:>13,} ({human_bytes(per_token)}){human_bytes(at_context):>14}"


def llama():
    c = LLAMA_3_1_8B
    variants = [("MHA", c["heads"]), ("GQA", c["kv_heads"]), ("MQA", 1)]
    model = Llama(c, c["kv_heads"])
    block = model.layers[0]
    for p in ("q_proj", "k_proj", "v_proj", "o_proj"):
        yield count(f"llama_{p}", num_params(getattr(block, p)))
    yield count("llama_attention_per_layer", attention_params(block))
    yield count("llama_attention_all_layers", sum(attention_params(b) for b in model.layers))
    yield count("llama_ffn_per_layer",
                sum(num_params(getattr(block, p)) for p in ("gate_proj", "up_proj", "down_proj")))
    yield count("llama_embedding", num_params(model.embed_tokens))
    yield count("llama_total", num_params(model))

    for label, kv_heads in variants:
        m = Llama(c, kv_heads)
        kv = sum(num_params(b.k_proj) + num_params(b.v_proj) for b in m.layers)
        yield count(f"llama_kv_proj_{label.lower()}", kv)
        yield count(f"llama_total_{label.lower()}", num_params(m))

    for label, kv_heads in variants:
        per_token = kv_cache_bytes(c["layers"], kv_heads, c["head_dim"], 1, torch.bfloat16)
        at_context = kv_cache_bytes(c["layers"], kv_heads, c["head_dim"], c["context"], torch.bfloat16)
        yield info(f"kv_per_token_{label.lower()}", value=per_token)
        yield info(f"kv_at_context_{label.lower()}", value=at_context)
        yield info(f"kv_row_{label.lower()}", text=[kv_table_line(label, kv_heads, per_token, at_context)])


# (name, layers, kv_heads, head_dim, dtype, tokens)
CACHE_CASES = [("llama31_8b_gqa", 32, 8, 128, torch.bfloat16, 131072),
               ("llama31_8b_mha", 32, 32, 128, torch.bfloat16, 131072),
               ("llama31_8b_mqa", 32, 1, 128, torch.bfloat16, 131072),
               ("llama31_70b", 80, 8, 128, torch.bfloat16, 131072),
               ("llama2_7b_fp16", 32, 32, 128, torch.float16, 4096),
               ("gpt2_fp32", 12, 12, 64, torch.float32, 1024),
               ("one_token", 1, 1, 1, torch.float32, 1)]


def exercises():
    for heads, kv_heads in [(4, 2), (8, 2), (6, 3), (32, 8), (4, 1), (4, 4), (12, 4)]:
        kv_of = torch.arange(kv_heads).repeat_interleave(heads // kv_heads)
        yield format_record(f"ex_kv_head_of_H{heads}_kv{kv_heads}", kv_of, show=False)
    for name, layers, kv_heads, head_dim, dtype, tokens in CACHE_CASES:
        n = kv_cache_bytes(layers, kv_heads, head_dim, tokens, dtype)
        bytes_per_value = torch.empty(0, dtype=dtype).element_size()
        yield format_record(f"ex_kv_cache_{name}", fields=[
            ("op", "info"), ("layers", layers), ("kv_heads", kv_heads), ("head_dim", head_dim),
            ("bytes_per_value", bytes_per_value), ("tokens", tokens), ("value", n)])
    for seed in (7, 11):
        torch.manual_seed(seed)
        kv = torch.rand(2, 2, 5, 3)
        yield format_record(f"ex_repeat_kv_x_seed{seed}", kv)
        yield format_record(f"ex_repeat_kv_groups3_seed{seed}", kv.repeat_interleave(3, dim=1))


def main():
    torch.set_num_threads(1)
    records = [r for config in CONFIGS for r in walkthrough(*config)]
    for part in (llama, exercises):
        records += list(part())
    write_reference(NAME, records)


if __name__ == "__main__":
    main()
