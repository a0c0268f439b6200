"""Reference data for lesson 10, the capstone: the book's GPTModel on names.

The model is chapter 4's GPTModel of "Build a Large Language Model (From
Scratch)": token and position embeddings; n_layers pre-LayerNorm transformer
blocks (x = x + att(norm1(x)); x = x + ff(norm2(x))) whose attention is lesson
06's MultiHeadAttention (imported from lesson06.py, causal, no qkv bias) and
whose feed-forward is the book's FeedForward (Linear(C, 4C), GELU with the tanh
approximation as nn.GELU(approximate="tanh"), Linear(4C, C); lesson09.py's
FeedForward) or a mixture of experts; a final LayerNorm (the book's: scale and
shift, eps 1e-5, biased variance); an output head without bias. drop_rate is 0. torch.manual_seed(seed) is set just
before the model is built, and the modules are built in the book's order
(tok_emb, pos_emb, then per block att (W_query, W_key, W_value, out_proj), ff,
norm1, norm2, then final_norm, out_head), so the C++ side can draw the same
weights from the same seed.

The mixture of experts (MoE) replaces ff; it is lesson09.py's layer (its MoE
class, routing, dispatch and balancing loss): the router Linear(C, E, bias=False)
is built first, then experts 0..E-1, each a FeedForward(C, He). Over the B*T
tokens flattened: probs = softmax(router(x)); torch.topk picks k experts per
token; their probabilities renormalised to sum to 1 are the gates (k >= 2), or
at k = 1 the raw probability is (Switch). Each expert runs once on the tokens
sent to it. No capacity limit. Each MoE layer adds the Switch Transformer's
load-balancing loss alpha * E * sum_i f_i * P_i (alpha = 0.01; P_i the mean of
probs[:, i] over all B*T positions, padding included; f_i the fraction of the
B*T tokens that chose expert i among their top k, detached).
Loss = cross_entropy(logits, targets, ignore_index=-1) + the layers' aux losses.

Data: makemore's names (data/names.txt), split as lesson02.py splits them
(random.seed(42); random.shuffle; 80/10/10). A name is one row of 16 (the
longest name is 15 characters): x = '.' then the name then '.' padding,
y = the name then '.' then -1 padding (makemore's CharDataset).

Recorded:
1. `tiny_`: V 27, T_max 16, C 8, 2 heads, 2 layers, dense, seed 123, on the
   first 3 training names: the batch (tiny_x, tiny_y, tiny_names), the logits,
   the loss, and the gradient of the loss for every parameter
   (tiny_grad_<name>, the name from named_parameters() with '.' -> '_'), in
   named_parameters() order, which tiny_parameter_names lists (a line each:
   the dotted name, then its shape); tiny_num_parameters.
2. `tiny_moe_`: the same with MoE (E 4, k 2, He 16), seed 123: logits, loss
   (cross-entropy plus aux), tiny_moe_ce_loss, tiny_moe_aux_loss, each block's
   chosen experts (tiny_moe_block<i>_experts, (48, k), topk order) and aux
   loss, every gradient, the parameter names and count.
3. `tiny_moe1_`: E 4, k 1 (the Switch gate), He 16, seed 123: the same records.
4. The capstone configurations' parameter counts (V 27, T_max 16, C 64, 4
   heads, 4 layers): capstone_dense_params; with MoE (E 8, k 2, He 128)
   capstone_moe_params_total and capstone_moe_params_active (all but the
   E - k unchosen experts of each layer).
5. AdamW on the tiny dense model (fresh, seed 123, the same batch), lr 1e-3,
   betas (0.9, 0.99), weight_decay 0.01, eps 1e-8: the loss before each of 3
   steps (tiny_adamw_loss0..2) and tok_emb.weight and out_head.weight after.

The script asserts what must hold: the MoE's grouped dispatch equals a
token-by-token loop; nn.GELU("tanh") equals the book's GELU written out (in one
block's FeedForward too) and the book's LayerNorm equals nn.LayerNorm; the loss equals
the mean negative log-probability of the non-padding targets; an even router's
aux loss is alpha * k; the parameter counts equal the formula.

Re-run (from anywhere) with Debian's torch:

    /usr/bin/python3 data/reference/lesson10.py

It reads data/names.txt and rewrites lesson10.txt next to this file (a second or
two; deterministic). lessons/10_capstone/benchmark_torch.py imports the model
from here.
"""

import math
import os
import random

import torch
import torch.nn as nn
import torch.nn.functional as F

from lesson02 import vocabulary
from lesson06 import MultiHeadAttention
from lesson09 import ALPHA as AUX_ALPHA
from lesson09 import MoE, FeedForward, balancing_loss, per_token_loop
from records import format_record, info, write_reference

NAME = "lesson10"
HERE = os.path.dirname(os.path.abspath(__file__))
NAMES = os.path.join(HERE, "..", "names.txt")

BLOCK_SIZE = 16  # the longest name (15 characters) plus the '.' before it

TINY = dict(vocab_size=27, context_length=16, emb_dim=8, n_heads=2, n_layers=2,
            drop_rate=0.0, qkv_bias=False)
CAPSTONE = dict(vocab_size=27, context_length=16, emb_dim=64, n_heads=4, n_layers=4,
                drop_rate=0.0, qkv_bias=False)
CAPSTONE_MOE = dict(num_experts=8, top_k=2, expert_hidden=128)


# --- the model --------------------------------------------------------------------------

class LayerNorm(nn.Module):
    """The book's LayerNorm: biased variance, eps 1e-5, scale and shift."""

    def __init__(self, emb_dim):
        super().__init__()
        self.eps = 1e-5
        self.scale = nn.Parameter(torch.ones(emb_dim))
        self.shift = nn.Parameter(torch.zeros(emb_dim))

    def forward(self, x):
        mean = x.mean(dim=-1, keepdim=True)
        var = x.var(dim=-1, keepdim=True, unbiased=False)
        return self.scale * (x - mean) / torch.sqrt(var + self.eps) + self.shift


class GELU(nn.Module):
    """The book's GELU, the tanh approximation written out (to check nn.GELU("tanh"))."""

    def forward(self, x):
        return 0.5 * x * (1.0 + torch.tanh(
            torch.sqrt(torch.tensor(2.0 / torch.pi)) * (x + 0.044715 * torch.pow(x, 3))))


class MixtureOfExperts(MoE):
    """Lesson 09's layer (router, then experts 0..E-1) as a module: top_k fixed,
    the Switch gate at k = 1, no capacity limit.

    forward keeps the last routing (probs, chosen experts, gates) and the layer's
    load-balancing loss in self.aux_loss.
    """

    def __init__(self, emb_dim, hidden, num_experts, top_k):
        super().__init__(emb_dim, hidden, num_experts)
        assert 1 <= top_k <= num_experts
        self.num_experts, self.top_k = num_experts, top_k

    def forward(self, x):
        shape = x.shape
        x = x.reshape(-1, shape[-1])
        probs, chosen, gates = self.route(x, self.top_k, switch=self.top_k == 1)
        self.aux_loss = balancing_loss(probs, chosen, self.num_experts)
        self.last_probs, self.last_chosen, self.last_gates = probs, chosen, gates
        return self.combine(x, chosen, gates).reshape(shape)

    def forward_token_by_token(self, x):
        """The definition, one token at a time (for the assertion)."""
        shape = x.shape
        x = x.reshape(-1, shape[-1])
        _, chosen, gates = self.route(x, self.top_k, switch=self.top_k == 1)
        return per_token_loop(self, x, chosen, gates).reshape(shape)


class TransformerBlock(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.att = MultiHeadAttention(d_in=cfg["emb_dim"], d_out=cfg["emb_dim"],
                                      context_length=cfg["context_length"], dropout=cfg["drop_rate"],
                                      num_heads=cfg["n_heads"], qkv_bias=cfg["qkv_bias"])
        if cfg.get("num_experts", 0):
            self.ff = MixtureOfExperts(cfg["emb_dim"], cfg["expert_hidden"], cfg["num_experts"], cfg["top_k"])
        else:
            self.ff = FeedForward(cfg["emb_dim"], 4 * cfg["emb_dim"])
        self.norm1 = LayerNorm(cfg["emb_dim"])
        self.norm2 = LayerNorm(cfg["emb_dim"])
        self.drop_shortcut = nn.Dropout(cfg["drop_rate"])

    def forward(self, x):
        x = x + self.drop_shortcut(self.att(self.norm1(x)))
        x = x + self.drop_shortcut(self.ff(self.norm2(x)))
        return x


class GPTModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.tok_emb = nn.Embedding(cfg["vocab_size"], cfg["emb_dim"])
        self.pos_emb = nn.Embedding(cfg["context_length"], cfg["emb_dim"])
        self.drop_emb = nn.Dropout(cfg["drop_rate"])
        self.trf_blocks = nn.Sequential(*[TransformerBlock(cfg) for _ in range(cfg["n_layers"])])
        self.final_norm = LayerNorm(cfg["emb_dim"])
        self.out_head = nn.Linear(cfg["emb_dim"], cfg["vocab_size"], bias=False)

    def forward(self, in_idx):
        _, seq_len = in_idx.shape
        x = self.tok_emb(in_idx) + self.pos_emb(torch.arange(seq_len, device=in_idx.device))
        x = self.drop_emb(x)
        x = self.trf_blocks(x)
        return self.out_head(self.final_norm(x))

    def moe_layers(self):
        return [b.ff for b in self.trf_blocks if isinstance(b.ff, MixtureOfExperts)]

    def aux_loss(self):
        """The last forward's load-balancing losses, summed over the MoE layers."""
        layers = self.moe_layers()
        return sum(m.aux_loss for m in layers) if layers else torch.tensor(0.0)


def build_model(cfg, seed, **moe):
    torch.manual_seed(seed)
    return GPTModel(dict(cfg, **moe))


def model_loss(model, x, y):
    """(total, cross-entropy, aux): the loss the C++ GPTModel::loss computes."""
    logits = model(x)
    ce = F.cross_entropy(logits.view(-1, logits.shape[-1]), y.view(-1), ignore_index=-1)
    aux = model.aux_loss()
    return ce + aux, ce, aux, logits


def num_params(model):
    return sum(p.numel() for p in model.parameters())


def num_active_params(model):
    """All but the experts a token does not visit: E - k per MoE layer."""
    inactive = sum((m.num_experts - m.top_k) * num_params(m.experts[0]) for m in model.moe_layers())
    return num_params(model) - inactive


# --- the data -------------------------------------------------------------------------

def load_split(path=NAMES):
    """makemore's split as lesson02.py makes it: (train, dev, test) word lists."""
    words = open(path).read().splitlines()
    stoi, itos = vocabulary(words)
    random.seed(42)
    random.shuffle(words)
    n1, n2 = int(0.8 * len(words)), int(0.9 * len(words))
    return stoi, itos, words[:n1], words[n1:n2], words[n2:]


def build_rows(words, stoi, block_size=BLOCK_SIZE):
    """makemore's CharDataset: x = '.' + name + '.' padding, y = name + '.' + -1 padding."""
    X = torch.zeros((len(words), block_size), dtype=torch.long)
    Y = torch.full((len(words), block_size), -1, dtype=torch.long)
    for i, w in enumerate(words):
        ix = [stoi[c] for c in w]
        assert len(ix) < block_size, w
        X[i, 1:1 + len(ix)] = torch.tensor(ix, dtype=torch.long)
        Y[i, :len(ix)] = torch.tensor(ix, dtype=torch.long)
        Y[i, len(ix)] = 0
    return X, Y


# --- the records ------------------------------------------------------------------------

def parameter_name_lines(model):
    return [" ".join([name] + [str(d) for d in p.shape]) for name, p in model.named_parameters()]


def expected_parameter_names(cfg, num_experts=0):
    """The order the C++ GPTModel::parameter_names() lists."""
    names = ["tok_emb.weight", "pos_emb.weight"]
    ff = ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"]
    for i in range(cfg["n_layers"]):
        b = f"trf_blocks.{i}."
        names += [b + f"att.{w}.weight" for w in ("W_query", "W_key", "W_value")]
        names += [b + "att.out_proj.weight", b + "att.out_proj.bias"]
        if num_experts:
            names.append(b + "ff.router.weight")
            names += [b + f"ff.experts.{e}.{p}" for e in range(num_experts) for p in ff]
        else:
            names += [b + "ff." + p for p in ff]
        names += [b + n for n in ("norm1.scale", "norm1.shift", "norm2.scale", "norm2.shift")]
    return names + ["final_norm.scale", "final_norm.shift", "out_head.weight"]


def check_moe(model, x):
    """Grouped dispatch equals the token-by-token definition; f sums to k."""
    with torch.no_grad():
        h = model.tok_emb(x) + model.pos_emb(torch.arange(x.shape[1]))
        for block in model.trf_blocks:
            moe = block.ff
            inp = block.norm2(h + block.att(block.norm1(h)))
            grouped = moe(inp)
            loop = moe.forward_token_by_token(inp)
            assert torch.allclose(grouped, loop, rtol=1e-5, atol=1e-6), (grouped - loop).abs().max()
            counts = torch.bincount(moe.last_chosen.flatten(), minlength=moe.num_experts)
            assert counts.sum().item() == moe.top_k * inp.shape[0] * inp.shape[1]
            h = block(h)
        # An even router (all logits equal): aux = alpha * k, whatever the tie-breaking.
        moe = model.trf_blocks[0].ff
        saved = moe.router.weight.clone()
        moe.router.weight.zero_()
        moe(inp)
        assert math.isclose(moe.aux_loss.item(), AUX_ALPHA * moe.top_k, rel_tol=1e-6), moe.aux_loss.item()
        moe.router.weight.copy_(saved)


def check_layers(model, x):
    """nn.GELU("tanh") against the book's GELU written out; LayerNorm against nn.LayerNorm."""
    with torch.no_grad():
        z = torch.randn(40, 8, generator=torch.Generator().manual_seed(1)) * 3
        assert torch.allclose(GELU()(z), nn.GELU(approximate="tanh")(z), rtol=1e-6, atol=1e-6)
        ln = nn.LayerNorm(z.shape[-1], eps=1e-5)
        assert torch.allclose(LayerNorm(z.shape[-1])(z), ln(z), rtol=1e-5, atol=1e-5)

        logits = model(x)
        block = model.trf_blocks[0]
        ff = block.ff
        C, H = ff.layers[0].in_features, ff.layers[0].out_features
        plain = nn.Sequential(nn.Linear(C, H), GELU(), nn.Linear(H, C))
        plain.load_state_dict(ff.layers.state_dict())
        block.ff = plain
        other = model(x)
        block.ff = ff
        assert torch.allclose(logits, other, rtol=1e-5, atol=1e-5), (logits - other).abs().max()


def check_loss(logits, y, ce):
    """Cross-entropy with ignore_index=-1 is the mean -log p over the real targets."""
    logp = torch.log_softmax(logits.detach().view(-1, logits.shape[-1]), dim=-1)
    t = y.view(-1)
    keep = t != -1
    manual = -logp[keep.nonzero().squeeze(1), t[keep]].mean()
    assert torch.allclose(manual, ce.detach(), rtol=1e-6), (manual, ce)


def model_records(prefix, cfg, seed, x, y, moe=None, losses=None):
    """The records of one model; its loss also goes into losses[prefix], if given."""
    moe = moe or {}
    model = build_model(cfg, seed, **moe)
    names = [n for n, _ in model.named_parameters()]
    assert names == expected_parameter_names(cfg, moe.get("num_experts", 0)), names
    if moe:
        check_moe(model, x)
    else:
        check_layers(model, x)
    loss, ce, aux, logits = model_loss(model, x, y)
    check_loss(logits, y, ce)
    model.zero_grad()
    loss.backward()
    if losses is not None:
        losses[prefix] = loss.item()

    yield format_record(f"{prefix}logits", logits.detach(), show=False)
    yield format_record(f"{prefix}loss", loss.detach())
    if moe:
        yield format_record(f"{prefix}ce_loss", ce.detach())
        yield format_record(f"{prefix}aux_loss", aux.detach())
        for i, m in enumerate(model.moe_layers()):
            yield format_record(f"{prefix}block{i}_experts", m.last_chosen, show=False)
            yield format_record(f"{prefix}block{i}_aux_loss", m.aux_loss.detach())
    for name, p in model.named_parameters():
        yield format_record(f"{prefix}grad_{name.replace('.', '_')}", p.grad, show=False)
    yield info(f"{prefix}parameter_names", value=len(names), text=parameter_name_lines(model))
    yield info(f"{prefix}num_parameters", value=num_params(model))


def capstone_counts():
    dense = GPTModel(CAPSTONE)
    moe = GPTModel(dict(CAPSTONE, **CAPSTONE_MOE))
    C, V, T, L = CAPSTONE["emb_dim"], CAPSTONE["vocab_size"], CAPSTONE["context_length"], CAPSTONE["n_layers"]
    ff = C * 4 * C + 4 * C + 4 * C * C + C
    per_block = 4 * C * C + C + ff + 4 * C
    assert num_params(dense) == V * C + T * C + L * per_block + 2 * C + C * V
    E, k, He = CAPSTONE_MOE["num_experts"], CAPSTONE_MOE["top_k"], CAPSTONE_MOE["expert_hidden"]
    expert = C * He + He + He * C + C
    total = num_params(dense) + L * (C * E + E * expert - ff)
    assert num_params(moe) == total
    assert num_active_params(moe) == total - L * (E - k) * expert
    yield info("capstone_dense_params", value=num_params(dense), text=[f"{num_params(dense):,}"])
    yield info("capstone_moe_params_total", value=num_params(moe), text=[f"{num_params(moe):,}"])
    yield info("capstone_moe_params_active", value=num_active_params(moe),
               text=[f"{num_active_params(moe):,}"])


def adamw_records(x, y, tiny_loss):
    model = build_model(TINY, 123)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.99), weight_decay=0.01, eps=1e-8)
    for i in range(3):
        opt.zero_grad()
        loss, _, _, _ = model_loss(model, x, y)
        if i == 0:
            assert loss.item() == tiny_loss
        yield format_record(f"tiny_adamw_loss{i}", loss.detach())
        loss.backward()
        opt.step()
    yield format_record("tiny_adamw_after_tok_emb_weight", model.tok_emb.weight.detach(), show=False)
    yield format_record("tiny_adamw_after_out_head_weight", model.out_head.weight.detach(), show=False)


def main():
    torch.set_num_threads(1)
    stoi, _, train, _, _ = load_split()
    names = train[:3]
    x, y = build_rows(names, stoi)
    records = [format_record("tiny_x", x, show=False), format_record("tiny_y", y, show=False),
               info("tiny_names", text=names)]
    losses = {}
    records += list(model_records("tiny_", TINY, 123, x, y, losses=losses))
    records += list(model_records("tiny_moe_", TINY, 123, x, y,
                                  dict(num_experts=4, top_k=2, expert_hidden=16)))
    records += list(model_records("tiny_moe1_", TINY, 123, x, y,
                                  dict(num_experts=4, top_k=1, expert_hidden=16)))
    records += list(capstone_counts())
    records += list(adamw_records(x, y, losses["tiny_"]))
    write_reference(NAME, records)


if __name__ == "__main__":
    main()
