"""Reference data for lesson 09: a mixture-of-experts feed-forward layer.

A router (nn.Linear(3, E, bias=False)) scores each of the six book tokens
against E experts, each the book's FeedForward (Linear(3, H), GELU with the
tanh approximation, Linear(H, 3)); torch.manual_seed(seed) is set just before
the router is built, then experts 0..E-1 are built in order. This script
records, on the book's six tokens ("Your journey starts with one step"):

1. The walkthrough, twice: the lesson's default (seed 123, E 4, top-2, H 12,
   capacity factor 1.0) and an alternative (seed 42, E 6, top-3, H 16,
   capacity factor 1.5; prefix `alt_`). In order: the router's weight, logits
   and softmax probabilities; torch.topk's values and indices; the weights
   renormalised over the chosen k (Mixtral); which tokens each expert gets and
   how many; the output. Then Switch routing (top-1, gated by the router's raw
   probability): the choices, gates, counts and output. Then the Switch
   Transformer's load-balancing loss alpha * E * sum_i f_i * P_i (alpha 0.01;
   P_i the mean router probability of expert i; f_i the fraction of tokens
   that chose expert i among their k, detached), for top-1 and top-k. Then
   expert capacity max(1, floor(cf * k * N / E)): first choices are seated
   before second choices, tokens in order; an assignment whose expert is full
   is dropped (its share of the output is zero). The kept mask and the output,
   for top-1 and top-k. Then the layer's total and active parameters, and the
   gradients of (out * R).sum() + aux loss with R = (arange(18) - 8.5) / 8.5.
2. Once: Mixtral 8x7B and DeepSeek-V3 built as skeletons on the meta device
   (shapes without memory) and counted: total parameters, and active ones (all
   but the routed experts a token does not visit; DeepSeek-V3 without its
   multi-token-prediction module).
3. For the exercise tests: five routing cases (softmax of seeded randn), with
   k = 1, 2, 3: top-k choices, renormalised weights, the balancing loss, and
   the kept masks at capacity factors 1.0, 1.25 and 2.0 (some drop).

Re-run with Debian's torch (a few seconds; deterministic):

    /usr/bin/python3 data/reference/lesson09.py
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from lesson04 import BOOK_INPUTS
from lesson06 import count
from records import format_record, info, write_reference

NAME = "lesson09"
ALPHA = 0.01

# (prefix, seed, experts, top_k, hidden, capacity_factor)
CONFIGS = [("", 123, 4, 2, 12, 1.0), ("alt_", 42, 6, 3, 16, 1.5)]


class FeedForward(nn.Module):
    """The book's FeedForward: Linear(d, hidden), GELU (tanh approximation), Linear(hidden, d)."""

    def __init__(self, d, hidden):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(d, hidden), nn.GELU(approximate="tanh"), nn.Linear(hidden, d))

    def forward(self, x):
        return self.layers(x)


class MoE(nn.Module):
    def __init__(self, d, hidden, num_experts):
        super().__init__()
        self.router = nn.Linear(d, num_experts, bias=False)
        self.experts = nn.ModuleList([FeedForward(d, hidden) for _ in range(num_experts)])

    def route(self, x, k, switch):
        """probs (N, E); chosen experts (N, k); gates (N, k)."""
        probs = torch.softmax(self.router(x), dim=-1)
        values, experts = torch.topk(probs, k, dim=-1)
        gates = values if switch else values / values.sum(-1, keepdim=True)
        return probs, experts, gates

    def combine(self, x, experts, gates, kept=None):
        """Each expert runs once on the tokens sent to it; results scattered back, weighted."""
        out = torch.zeros_like(x)
        for e, expert in enumerate(self.experts):
            mask = experts == e
            if kept is not None:
                mask = mask & kept.bool()
            token, slot = torch.nonzero(mask, as_tuple=True)
            if token.numel() == 0:
                continue
            out = out.index_add(0, token, gates[token, slot].unsqueeze(-1) * expert(x[token]))
        return out


def fractions(experts, num_experts):
    """f_i: the fraction of tokens that chose expert i (sums to k)."""
    n = experts.shape[0]
    return torch.stack([(experts == i).sum() for i in range(num_experts)]).float() / n


def balancing_loss(probs, experts, num_experts):
    return ALPHA * num_experts * (fractions(experts, num_experts).detach() * probs.mean(0)).sum()


def capacity_of(n, k, num_experts, factor):
    return max(1, math.floor(factor * k * n / num_experts))


def kept_mask(experts, num_experts, capacity):
    """Seat first choices of every token (in token order), then second choices..."""
    n, k = experts.shape
    kept = torch.zeros(n, k, dtype=torch.int64)
    seated = [0] * num_experts
    for j in range(k):
        for t in range(n):
            e = int(experts[t, j])
            if seated[e] < capacity:
                seated[e] += 1
                kept[t, j] = 1
    return kept


def per_token_loop(moe, x, experts, gates):
    """The same output one token at a time, to check the grouped dispatch."""
    rows = []
    for t in range(x.shape[0]):
        rows.append(sum(gates[t, j] * moe.experts[int(experts[t, j])](x[t]) for j in range(experts.shape[1])))
    return torch.stack(rows)


def dispatch(experts, num_experts, n):
    d = torch.zeros(num_experts, n, dtype=torch.int64)
    for t in range(n):
        for e in experts[t].tolist():
            d[e, t] = 1
    return d


def walkthrough(prefix, seed, num_experts, k, hidden, factor):
    x = torch.tensor(BOOK_INPUTS)
    n = x.shape[0]
    torch.manual_seed(seed)
    moe = MoE(3, hidden, num_experts)
    records = []

    def rec(name, t):
        records.append(format_record(prefix + name, t))

    with torch.no_grad():
        logits = moe.router(x)
        probs, experts, gates = moe.route(x, k, switch=False)
        values = torch.topk(probs, k, dim=-1).values
        out = moe.combine(x, experts, gates)
        assert torch.allclose(gates.sum(-1), torch.ones(n))
        assert torch.allclose(out, per_token_loop(moe, x, experts, gates), atol=1e-6)
        rec("router_weight", moe.router.weight.detach().clone())
        rec("router_logits", logits)
        rec("router_probs", probs)
        rec("topk_probs", values)
        rec("topk_experts", experts)
        rec("combine_weights", gates)
        d = dispatch(experts, num_experts, n)
        rec("dispatch", d)
        rec("tokens_per_expert", d.sum(1))
        rec("moe_out", out)

        _, experts1, gates1 = moe.route(x, 1, switch=True)
        out1 = moe.combine(x, experts1, gates1)
        rec("top1_experts", experts1)
        rec("top1_gates", gates1)
        rec("top1_tokens_per_expert", dispatch(experts1, num_experts, n).sum(1))
        rec("top1_out", out1)

        rec("aux_mean_prob", probs.mean(0))
        rec("aux_fraction_top1", fractions(experts1, num_experts))
        rec("aux_loss_top1", balancing_loss(probs, experts1, num_experts))
        rec("aux_fraction_topk", fractions(experts, num_experts))
        rec("aux_loss_topk", balancing_loss(probs, experts, num_experts))

        for tag, kk, ex, g in (("top1", 1, experts1, gates1), ("topk", k, experts, gates)):
            capacity = capacity_of(n, kk, num_experts, factor)
            kept = kept_mask(ex, num_experts, capacity)
            records.append(info(f"{prefix}capacity_{tag}", value=capacity))
            rec(f"kept_{tag}", kept)
            rec(f"capacity_out_{tag}", moe.combine(x, ex, g, kept))
            roomy = kept_mask(ex, num_experts, n)
            assert torch.equal(moe.combine(x, ex, g, roomy), moe.combine(x, ex, g))

    expert_params = sum(p.numel() for p in moe.experts[0].parameters())
    router_params = moe.router.weight.numel()
    records.append(count(prefix + "params_total", sum(p.numel() for p in moe.parameters())))
    records.append(count(prefix + "params_active", router_params + k * expert_params))

    # gradients: (out * R).sum() + the balancing loss, for top-k and for Switch top-1
    R = (torch.arange(18, dtype=torch.float32).reshape(6, 3) - 8.5) / 8.5
    expert_index = int(experts.flatten()[0])  # an expert that surely gets a token
    records.append(info(prefix + "grad_expert_index", value=expert_index))
    for tag, kk, switch in (("grad_", k, False), ("grad1_", 1, True)):
        moe.zero_grad()
        xg = x.clone().requires_grad_(True)
        probs_g, ex, g = moe.route(xg, kk, switch)
        loss = (moe.combine(xg, ex, g) * R).sum() + balancing_loss(probs_g, ex, num_experts)
        loss.backward()
        rec(tag + "x", xg.grad)
        rec(tag + "router_weight", moe.router.weight.grad)
        if tag == "grad_":
            e = moe.experts[expert_index].layers
            name = f"grad_expert{expert_index}_"
            rec(name + "fc1_weight", e[0].weight.grad)
            rec(name + "fc1_bias", e[0].bias.grad)
            rec(name + "fc2_weight", e[2].weight.grad)
            rec(name + "fc2_bias", e[2].bias.grad)
    return records


# --- real models on the meta device -------------------------------------------------------


def linear(i, o):
    return nn.Linear(i, o, bias=False, device="meta")


class SwiGLU(nn.Module):
    def __init__(self, d, hidden):
        super().__init__()
        self.w1, self.w3, self.w2 = linear(d, hidden), linear(d, hidden), linear(hidden, d)


class Norm(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(d, device="meta"))


def numel(module):
    return sum(p.numel() for p in module.parameters())


def mixtral():
    d, layers, vocab = 4096, 32, 32000
    skeleton = nn.ModuleDict({"embed": nn.Embedding(vocab, d, device="meta"), "head": linear(d, vocab), "norm": Norm(d)})
    attention = nn.ModuleList([linear(d, 4096), linear(d, 1024), linear(d, 1024), linear(4096, d)])
    expert = SwiGLU(d, 14336)
    router = linear(d, 8)
    norms = nn.ModuleList([Norm(d), Norm(d)])
    per_layer_shared = numel(attention) + numel(router) + numel(norms)
    total = numel(skeleton) + layers * (per_layer_shared + 8 * numel(expert))
    active = numel(skeleton) + layers * (per_layer_shared + 2 * numel(expert))
    assert total == 46_702_792_704 and active == 12_879_925_248, (total, active)
    return [count("mixtral_expert", numel(expert)), count("mixtral_attention_per_layer", numel(attention)),
            count("mixtral_total", total), count("mixtral_active", active)]


def deepseek_v3():
    d, layers, dense_layers, vocab, heads = 7168, 61, 3, 129280, 128
    skeleton = nn.ModuleDict({"embed": nn.Embedding(vocab, d, device="meta"), "head": linear(d, vocab), "norm": Norm(d)})
    attention = nn.ModuleDict({
        "q_a_proj": linear(d, 1536), "q_a_layernorm": Norm(1536), "q_b_proj": linear(1536, heads * (128 + 64)),
        "kv_a_proj_with_mqa": linear(d, 512 + 64), "kv_a_layernorm": Norm(512),
        "kv_b_proj": linear(512, heads * (128 + 128)), "o_proj": linear(heads * 128, d)})
    norms = nn.ModuleList([Norm(d), Norm(d)])
    dense_ffn = SwiGLU(d, 18432)
    expert = SwiGLU(d, 2048)
    gate = nn.ModuleDict({"weight": linear(d, 256), "bias": Norm(256)})  # e_score_correction_bias: 256 numbers
    dense_layer = numel(attention) + numel(norms) + numel(dense_ffn)
    moe_shared = numel(attention) + numel(norms) + numel(gate) + numel(expert)  # + the shared expert
    total = numel(skeleton) + dense_layers * dense_layer + (layers - dense_layers) * (moe_shared + 256 * numel(expert))
    active = numel(skeleton) + dense_layers * dense_layer + (layers - dense_layers) * (moe_shared + 8 * numel(expert))
    return [count("deepseek_v3_routed_expert", numel(expert)),
            count("deepseek_v3_attention_per_layer", numel(attention)),
            count("deepseek_v3_total", total), count("deepseek_v3_active", active)]


# --- exercises --------------------------------------------------------------------------------------


def exercises():
    records = []
    for i, (n, e) in enumerate([(6, 4), (8, 4), (5, 3), (10, 8), (7, 6)]):
        g = torch.Generator().manual_seed(100 + i)
        probs = torch.softmax(torch.randn(n, e, generator=g), dim=-1)
        records.append(format_record(f"ex_route{i}_probs", probs))
        for k in (1, 2, 3):
            if k > e:
                continue
            name = f"ex_route{i}_k{k}"
            values, experts = torch.topk(probs, k, dim=-1)
            records.append(format_record(name + "_experts", experts))
            records.append(format_record(name + "_weights", values / values.sum(-1, keepdim=True)))
            records.append(format_record(name + "_aux_loss", balancing_loss(probs, experts, e)))
            for factor, tag in ((1.0, "1_0"), (1.25, "1_25"), (2.0, "2_0")):
                capacity = capacity_of(n, k, e, factor)
                records.append(info(f"{name}_cf{tag}_capacity", value=capacity))
                records.append(format_record(f"{name}_cf{tag}_kept", kept_mask(experts, e, capacity)))
    return records


def main():
    records = []
    for config in CONFIGS:
        records += walkthrough(*config)
    records += mixtral() + deepseek_v3() + exercises()
    write_reference(NAME, records)


if __name__ == "__main__":
    main()
