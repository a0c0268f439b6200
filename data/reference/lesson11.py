"""Reference data for lesson 11: attention at long context.

1. The KV cache: the book's GPTModel (lesson10.py's, untrained), vocabulary 27,
   context 1,024, emb_dim 64, 4 heads, 2 layers, torch.manual_seed(123), fed
   ".your.journey.starts.with.one.step" (makemore's alphabet: '.' = 0, 'a' = 1,
   ...). kv_last_logits: the logits after the last character (a full forward; the
   C++ side prints them computed with the cache and without). kv_cache_bytes and
   kv_cache_bytes_full: 2 * layers * tokens * emb_dim * 4 bytes after the text
   and at the full context.
2. RoPE as Hugging Face's Llama applies it (rotate_half: pair i is (x[i],
   x[i + d/2])), angles in float32: inv_freq = 1 / base ** (arange(0, d, 2) / d),
   position * inv_freq, cos, sin; q * cos + rotate_half(q) * sin. Records:
   rope_inv_freq (d 8); after torch.manual_seed(123), q = randn(8) and k =
   randn(8): rope_q_positions (q at positions 0..3, a row each), rope_scores
   (6 x 6, row m, column n: rope(q, m) . rope(k, n)), rope_scores_far (the same at
   positions 1000..1005), rope_plain_score (q . k without positions); the
   wavelengths 2 pi / theta_i (tokens, rounded) of pairs 0, 16, 32, 48, 63 of a
   128-wide head for bases 10,000 and 500,000 (rope_wavelengths_10000,
   rope_wavelengths_500000, as the lesson prints them); for the lib tests,
   rope_x = randn(5, 8) after torch.manual_seed(1) at positions 0, 7, 14, 21,
   28, rotated with base 10,000 (rope_x_rotated) and 500,000 (rope_x_rotated_500k).
3. The online softmax by hand: lesson 05's SelfAttention_v2 (torch.manual_seed(789),
   d_out 2) on the book's six tokens, queries, keys and values; the keys in
   blocks of 2, each query seeing only keys at or before it. After block b:
   os_block<b>_max (6), os_block<b>_sum (6), os_block<b>_out (6, 2): the running
   max of the scaled scores, the running sum of exp(score - max), and the
   weighted average of the values so far. os_dense: lesson 05's causal weights
   times the values (the same as the last block's out).
4. The tiled kernel's check: torch.manual_seed(0); q, k, v = randn(1000, 64) each;
   causal attention (dense, softmax of the masked scores / 8); flash_last_rows:
   rows 997..999, channels 0..3 of the output.
5. Exercises: ex_merge_* (two partial results of random queries over two halves
   of random keys, and the softmax over all the keys computed in one piece, for
   seeds 7 and 11); ex_rope_* (random vectors of width 8 and 16 at positions 0,
   1, 5, 100, 4096); ex_cache_* (random q, k, v of 7 tokens of width 4 and their
   causal attention, what a cache fed one token at a time must give).

Re-run (from anywhere) with Debian's torch:

    /usr/bin/python3 data/reference/lesson11.py

It rewrites lesson11.txt next to this file (about a second; deterministic).
"""

import math

import torch

from lesson04 import BOOK_INPUTS, SelfAttention_v2
from lesson10 import build_model
from records import format_record, info, write_reference

NAME = "lesson11"

KV_MODEL = dict(vocab_size=27, context_length=1024, emb_dim=64, n_heads=4, n_layers=2,
                drop_rate=0.0, qkv_bias=False)
KV_TEXT = ".your.journey.starts.with.one.step"


# --- RoPE, as transformers' LlamaRotaryEmbedding and apply_rotary_pos_emb ----------

def inv_freq(d, base=10000.0):
    return 1.0 / (base ** (torch.arange(0, d, 2, dtype=torch.int64).float() / d))


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def rope(x, positions, base=10000.0):
    """x (T, d), positions (T) -> rotated (T, d)."""
    freqs = torch.tensor(positions, dtype=torch.float32)[:, None] * inv_freq(x.shape[-1], base)[None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    return x * emb.cos() + rotate_half(x) * emb.sin()


def causal_attention(q, k, v):
    T = q.shape[0]
    scores = (q @ k.T).masked_fill(torch.triu(torch.ones(T, T), diagonal=1).bool(), -torch.inf)
    return torch.softmax(scores / k.shape[-1] ** 0.5, dim=-1) @ v


# --- the online softmax ------------------------------------------------------------

def attend_block(q, k, v, hidden):
    """The partial result of q over one block of keys; hidden (T, S) True where a
    key is masked. Rows that see no key: max -inf, sum 0, out 0."""
    s = (q @ k.T) / k.shape[-1] ** 0.5
    s = s.masked_fill(hidden, -torch.inf)
    m = s.max(dim=-1).values
    safe = torch.where(m == -torch.inf, torch.zeros_like(m), m)
    p = torch.exp(s - safe[:, None])
    l = p.sum(dim=-1)
    out = (p @ v) / torch.where(l == 0, torch.ones_like(l), l)[:, None]
    return m, l, out


def merge(a, b):
    (ma, la, oa), (mb, lb, ob) = a, b
    m = torch.maximum(ma, mb)
    safe = torch.where(m == -torch.inf, torch.zeros_like(m), m)
    wa = torch.where(ma == -torch.inf, torch.zeros_like(la), la * torch.exp(ma - safe))
    wb = torch.where(mb == -torch.inf, torch.zeros_like(lb), lb * torch.exp(mb - safe))
    l = wa + wb
    out = (wa[:, None] * oa + wb[:, None] * ob) / torch.where(l == 0, torch.ones_like(l), l)[:, None]
    return m, l, out


def kv_cache():
    model = build_model(KV_MODEL, 123)
    model.eval()
    ids = torch.tensor([[0 if c == "." else ord(c) - ord("a") + 1 for c in KV_TEXT]])
    with torch.no_grad():
        logits = model(ids)[0, -1]
    yield format_record("kv_last_logits", logits)
    L, C = KV_MODEL["n_layers"], KV_MODEL["emb_dim"]
    for name, tokens in (("kv_cache_bytes", len(KV_TEXT)), ("kv_cache_bytes_full", KV_MODEL["context_length"])):
        n = 2 * L * tokens * C * 4
        yield info(name, value=n, text=[f"{n:,}"])


def rope_records():
    yield format_record("rope_inv_freq", inv_freq(8))
    torch.manual_seed(123)
    q = torch.randn(8)
    k = torch.randn(8)
    yield format_record("rope_q", q)
    yield format_record("rope_k", k)
    yield format_record("rope_q_positions", rope(q.expand(4, 8), [0, 1, 2, 3]))
    for name, start in (("rope_scores", 0), ("rope_scores_far", 1000)):
        positions = list(range(start, start + 6))
        qs = rope(q.expand(6, 8), positions)
        ks = rope(k.expand(6, 8), positions)
        yield format_record(name, qs @ ks.T)
    yield format_record("rope_plain_score", torch.dot(q, k))
    for base in (10000, 500000):
        f = inv_freq(128, float(base))
        lengths = [round(2 * math.pi / float(f[i])) for i in (0, 16, 32, 48, 63)]
        yield info(f"rope_wavelengths_{base}", text=["  ".join(f"{n:>13,}" for n in lengths)])
    torch.manual_seed(1)
    x = torch.randn(5, 8)
    yield format_record("rope_x", x)
    yield format_record("rope_x_rotated", rope(x, [0, 7, 14, 21, 28]))
    yield format_record("rope_x_rotated_500k", rope(x, [0, 7, 14, 21, 28], 500000.0))


def online_softmax():
    inputs = torch.tensor(BOOK_INPUTS)
    with torch.no_grad():
        torch.manual_seed(789)
        sa = SelfAttention_v2(3, 2)
        queries, keys, values = sa.W_query(inputs), sa.W_key(inputs), sa.W_value(inputs)
    yield format_record("os_values", values)
    T = 6
    state = (torch.full((T,), -torch.inf), torch.zeros(T), torch.zeros(T, 2))
    for b, k0 in enumerate(range(0, T, 2)):
        cols = torch.arange(k0, k0 + 2)
        hidden = cols[None, :] > torch.arange(T)[:, None]  # the future
        state = merge(state, attend_block(queries, keys[k0:k0 + 2], values[k0:k0 + 2], hidden))
        yield format_record(f"os_block{b}_max", state[0])
        yield format_record(f"os_block{b}_sum", state[1])
        yield format_record(f"os_block{b}_out", state[2])
    yield format_record("os_dense", causal_attention(queries, keys, values))


def flash_check():
    torch.manual_seed(0)
    q, k, v = torch.randn(1000, 64), torch.randn(1000, 64), torch.randn(1000, 64)
    yield format_record("flash_last_rows", causal_attention(q, k, v)[997:, :4].contiguous())


def exercises():
    for seed in (7, 11):
        # 11.1: two halves of the keys, then all of them at once
        torch.manual_seed(seed)
        q, k, v = torch.randn(4, 3) * 2, torch.randn(6, 3) * 2, torch.randn(6, 2)
        none = torch.zeros(4, 3, dtype=torch.bool)
        for side, rows in (("a", slice(0, 3)), ("b", slice(3, 6))):
            m, l, out = attend_block(q, k[rows], v[rows], none)
            yield format_record(f"ex_merge_{side}_max_seed{seed}", m)
            yield format_record(f"ex_merge_{side}_sum_seed{seed}", l)
            yield format_record(f"ex_merge_{side}_out_seed{seed}", out)
        s = (q @ k.T) / 3 ** 0.5
        m = s.max(dim=-1).values
        yield format_record(f"ex_merge_max_seed{seed}", m)
        yield format_record(f"ex_merge_sum_seed{seed}", torch.exp(s - m[:, None]).sum(dim=-1))
        yield format_record(f"ex_merge_out_seed{seed}", torch.softmax(s, dim=-1) @ v)

        # 11.2: RoPE on one vector
        torch.manual_seed(seed)
        for d in (8, 16):
            x = torch.randn(d)
            yield format_record(f"ex_rope_x_seed{seed}_d{d}", x)
            for pos in (0, 1, 5, 100, 4096):
                yield format_record(f"ex_rope_out_seed{seed}_d{d}_pos{pos}", rope(x[None, :], [pos])[0])

        # 11.3: one token at a time with a cache = causal attention of the whole sequence
        torch.manual_seed(seed)
        q, k, v = torch.rand(7, 4) * 2 - 1, torch.rand(7, 4) * 2 - 1, torch.rand(7, 4) * 2 - 1
        yield format_record(f"ex_cache_q_seed{seed}", q)
        yield format_record(f"ex_cache_k_seed{seed}", k)
        yield format_record(f"ex_cache_v_seed{seed}", v)
        yield format_record(f"ex_cache_out_seed{seed}", causal_attention(q, k, v))


def main():
    torch.set_num_threads(1)
    records = list(kv_cache()) + list(rope_records()) + list(online_softmax()) + list(flash_check())
    records += list(exercises())
    write_reference(NAME, records)


if __name__ == "__main__":
    main()
