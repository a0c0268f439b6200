"""Reference data for lesson 13: the RNN encoder-decoder and Bahdanau attention.

Records, with torch's own modules where torch has one:

1. nn.RNNCell(4, 3) built right after torch.manual_seed(seed), seeds 0 and 5:
   its weight_ih, weight_hh, bias_ih and bias_hh (drawn in that order), then a
   step on torch.randn(2, 4) and torch.randn(2, 3) drawn after it:
   h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh).
2. Bahdanau's additive attention, after torch.manual_seed(3): W1 =
   nn.Linear(4, 5, bias=False), W2 = nn.Linear(6, 5, bias=False), v =
   nn.Linear(5, 1, bias=False) (its weight as a vector), then s =
   torch.randn(2, 4) (two decoder states) and h = torch.randn(2, 5, 6) (two
   sequences of 5 encoder states); the scores v . tanh(W1 s + W2 h_i), masked
   to the first 5 and 3 positions, softmax over the positions, and the context
   vectors sum_i alpha_i h_i.
3. For the exercise tests, seeds 7 and 11, all drawn after torch.manual_seed(seed):
   13.1 an nn.RNNCell(4, 3) and a step on x (2, 4) and h (2, 3) from torch.randn;
   13.2 one decoder step's additive scores: s (4), h (5, 6), W1 (3, 4), W2 (3, 6),
        v (3), all torch.randn;
   13.3 the context vector of softmax(those scores) over h;
   13.4 two steps of an nn.RNNCell(4, 3) from h0 (2, 3) on x1, x2 (2, 4) and
        the gradients of (h2 * dh2).sum() (dh2 = torch.randn(2, 3)) with respect
        to weight_ih, weight_hh, bias_ih (equal to bias_hh's) and h0, by autograd.

4. The capstone's RNN language model (lesson 10's fifth contender): its parameter
   count at the capstone's sizes (nn.Embedding(27, 64), nn.RNNCell(64, 400),
   nn.Linear(400, 27)), and a small one (embedding 3, state 4) built after
   torch.manual_seed(0) in that order, run on the rows ".emma" and ".al.." (the
   padding is '.'), targets "emma." and "al." then -1: its logits and its loss.

Each tensor record holds the exact float32 values (float.hex) and what
print(tensor) shows.

Re-run with Debian's torch (about a second; deterministic):

    /usr/bin/python3 data/reference/lesson13.py
"""

import torch
import torch.nn as nn
import torch.nn.functional as F

from records import format_record, info, write_reference

NAME = "lesson13"


def cells():
    for seed in (0, 5):
        torch.manual_seed(seed)
        cell = nn.RNNCell(4, 3)
        x = torch.randn(2, 4)
        h = torch.randn(2, 3)
        with torch.no_grad():
            out = cell(x, h)
        s = f"_seed{seed}"
        yield format_record("cell_weight_ih" + s, cell.weight_ih.detach())
        yield format_record("cell_weight_hh" + s, cell.weight_hh.detach())
        yield format_record("cell_bias_ih" + s, cell.bias_ih.detach())
        yield format_record("cell_bias_hh" + s, cell.bias_hh.detach())
        yield format_record("cell_x" + s, x)
        yield format_record("cell_h" + s, h)
        yield format_record("cell_out" + s, out)


def additive(s, h, W1, W2, v, lengths):
    """Scores, weights and contexts of a batch: s (B, D), h (B, T, C)."""
    scores = torch.tanh((s @ W1.T)[:, None, :] + h @ W2.T) @ v  # (B, T)
    T = h.shape[1]
    mask = torch.arange(T)[None, :] >= torch.tensor(lengths)[:, None]
    scores = scores.masked_fill(mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    context = (weights[:, :, None] * h).sum(dim=1)
    return scores, weights, context


def attention():
    torch.manual_seed(3)
    W1 = nn.Linear(4, 5, bias=False).weight.detach()
    W2 = nn.Linear(6, 5, bias=False).weight.detach()
    v = nn.Linear(5, 1, bias=False).weight.detach().reshape(5)
    s = torch.randn(2, 4)
    h = torch.randn(2, 5, 6)
    scores, weights, context = additive(s, h, W1, W2, v, [5, 3])
    yield format_record("att_W1", W1)
    yield format_record("att_W2", W2)
    yield format_record("att_v", v)
    yield format_record("att_s", s)
    yield format_record("att_h", h)
    yield format_record("att_scores", scores)
    yield format_record("att_weights", weights)
    yield format_record("att_context", context)


def exercises():
    for seed in (7, 11):
        sfx = f"_seed{seed}"
        # 13.1
        torch.manual_seed(seed)
        cell = nn.RNNCell(4, 3)
        x = torch.randn(2, 4)
        h = torch.randn(2, 3)
        with torch.no_grad():
            out = cell(x, h)
        for name, t in (("weight_ih", cell.weight_ih), ("weight_hh", cell.weight_hh),
                        ("bias_ih", cell.bias_ih), ("bias_hh", cell.bias_hh)):
            yield format_record(f"ex_cell_{name}{sfx}", t.detach())
        yield format_record(f"ex_cell_x{sfx}", x)
        yield format_record(f"ex_cell_h{sfx}", h)
        yield format_record(f"ex_cell_out{sfx}", out)

        # 13.2 and 13.3: one decoder step, unbatched
        torch.manual_seed(seed)
        s = torch.randn(4)
        hs = torch.randn(5, 6)
        W1 = torch.randn(3, 4)
        W2 = torch.randn(3, 6)
        v = torch.randn(3)
        scores = torch.tanh(W1 @ s + hs @ W2.T) @ v  # (T)
        weights = torch.softmax(scores, dim=0)
        context = weights @ hs
        for name, t in (("s", s), ("h", hs), ("W1", W1), ("W2", W2), ("v", v), ("scores", scores),
                        ("weights", weights), ("context", context)):
            yield format_record(f"ex_att_{name}{sfx}", t)

        # 13.4: backpropagation through two steps
        torch.manual_seed(seed)
        cell = nn.RNNCell(4, 3)
        x1 = torch.randn(2, 4)
        x2 = torch.randn(2, 4)
        h0 = torch.randn(2, 3, requires_grad=True)
        dh2 = torch.randn(2, 3)
        h1 = cell(x1, h0)
        h2 = cell(x2, h1)
        (h2 * dh2).sum().backward()
        for name, t in (("weight_ih", cell.weight_ih), ("weight_hh", cell.weight_hh),
                        ("bias_ih", cell.bias_ih), ("bias_hh", cell.bias_hh)):
            yield format_record(f"ex_bptt_{name}{sfx}", t.detach())
        for name, t in (("x1", x1), ("x2", x2), ("h0", h0.detach()), ("dh2", dh2), ("h2", h2.detach())):
            yield format_record(f"ex_bptt_{name}{sfx}", t)
        yield format_record(f"ex_bptt_dweight_ih{sfx}", cell.weight_ih.grad)
        yield format_record(f"ex_bptt_dweight_hh{sfx}", cell.weight_hh.grad)
        yield format_record(f"ex_bptt_dbias{sfx}", cell.bias_ih.grad)
        yield format_record(f"ex_bptt_dh0{sfx}", h0.grad)


def char_rnn():
    emb, cell, head = nn.Embedding(27, 64), nn.RNNCell(64, 400), nn.Linear(400, 27)
    count = sum(p.numel() for m in (emb, cell, head) for p in m.parameters())
    yield info("capstone_rnn_params", value=str(count))
    torch.manual_seed(0)
    emb, cell, head = nn.Embedding(27, 3), nn.RNNCell(3, 4), nn.Linear(4, 27)
    stoi = {c: i + 1 for i, c in enumerate("abcdefghijklmnopqrstuvwxyz")}
    stoi["."] = 0
    x = torch.tensor([[stoi[c] for c in ".emma"], [stoi[c] for c in ".al.."]])
    y = torch.tensor([[stoi[c] for c in "emma."], [stoi[c] for c in "al."] + [-1, -1]])
    with torch.no_grad():
        h = torch.zeros(2, 4)
        logits = []
        for t in range(5):
            h = cell(emb(x[:, t]), h)
            logits.append(head(h))
        logits = torch.stack(logits, dim=1)  # (B, T, V)
        loss = F.cross_entropy(logits.reshape(-1, 27), y.reshape(-1), ignore_index=-1)
    yield format_record("char_rnn_logits", logits)
    yield format_record("char_rnn_loss", loss)


def main():
    torch.set_num_threads(1)
    records = list(cells()) + list(attention()) + list(exercises()) + list(char_rnn())
    write_reference(NAME, records)


if __name__ == "__main__":
    main()
