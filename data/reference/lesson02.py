"""Reference data for lesson 02: the neural n-gram (makemore, parts 1 and 2).

1. The one-layer neural bigram of part 1's second half, on every bigram of
   data/names.txt: W = torch.randn((27, 27), generator=g) with g seeded
   2147483647; logits = one_hot(xs) @ W; softmax; loss = mean NLL +
   0.01 * (W**2).mean(); 100 steps of gradient descent with learning rate 50.
   Recorded: the loss of every step, the first gradient, the probability row of
   '.' after training, and five names sampled from the trained net.
2. The MLP of part 2: random.seed(42); random.shuffle(words); 80/10/10 split;
   block size 3; C (27, 10), W1 (30, 200), b1, W2 (200, 27), b2 drawn from
   g = torch.Generator().manual_seed(2147483647) in that order; minibatches of
   32 drawn with torch.randint(0, len(Xtr), (32,), generator=g) from the same
   g (the walkthrough uses the unseeded global generator; a seeded one makes the
   run repeatable); SGD with learning rate 0.1. Recorded: the split, the
   initial parameters, the first batch's indices, logits and loss, and the loss
   of each of the first 50 steps.
3. For the exercise tests: the same computations on a small word list, so a
   hard-coded answer cannot pass.

Re-run (from anywhere) with Debian's torch:

    /usr/bin/python3 data/reference/lesson02.py

It reads data/names.txt and rewrites lesson02.txt next to this file (about 30 s;
deterministic).
"""

import os
import random

import torch
import torch.nn.functional as F

from records import format_record, info, write_reference

NAME = "lesson02"
HERE = os.path.dirname(os.path.abspath(__file__))
NAMES = os.path.join(HERE, "..", "names.txt")
SEED = 2147483647


def vocabulary(words):
    chars = sorted(set("".join(words)))
    stoi = {s: i + 1 for i, s in enumerate(chars)}
    stoi["."] = 0
    return stoi, {i: s for s, i in stoi.items()}


def bigram_pairs(words, stoi):
    xs, ys = [], []
    for w in words:
        chs = ["."] + list(w) + ["."]
        for ch1, ch2 in zip(chs, chs[1:]):
            xs.append(stoi[ch1])
            ys.append(stoi[ch2])
    return torch.tensor(xs), torch.tensor(ys)


def bigram_loss(W, xs, ys):
    """Part 1's forward pass, written as the walkthrough writes it."""
    xenc = F.one_hot(xs, num_classes=27).float()
    logits = xenc @ W
    counts = logits.exp()
    probs = counts / counts.sum(1, keepdims=True)
    return -probs[torch.arange(xs.nelement()), ys].log().mean() + 0.01 * (W**2).mean()


def neural_bigram(words, stoi, itos, steps=100, lr=50.0):
    xs, ys = bigram_pairs(words, stoi)
    N = torch.zeros((27, 27))
    N.index_put_((xs, ys), torch.ones(xs.nelement()), accumulate=True)
    P = (N + 1) / (N + 1).sum(1, keepdims=True)
    yield format_record("count_model_nll", -P[xs, ys].log().mean())
    g = torch.Generator().manual_seed(SEED)
    W = torch.randn((27, 27), generator=g, requires_grad=True)
    yield format_record("bigram_W_init", W.detach(), show=False)
    losses = []
    for k in range(steps):
        loss = bigram_loss(W, xs, ys)
        losses.append(loss.item())
        W.grad = None
        loss.backward()
        if k == 0:
            yield format_record("bigram_first_grad", W.grad.clone(), show=False,
                                fields=[("loss", float(loss.item()).hex())])
        W.data += -lr * W.grad
    yield format_record("bigram_losses", torch.tensor(losses), show=False,
                        fields=[("steps", steps), ("lr", lr), ("pairs", xs.nelement())])
    final = bigram_loss(W, xs, ys)
    yield info("bigram_final_loss", value=float(final.item()).hex())
    with torch.no_grad():
        row0 = W[0].exp() / W[0].exp().sum()
    yield format_record("bigram_trained_row0", row0)
    g = torch.Generator().manual_seed(SEED)
    names = []
    for _ in range(5):
        out, ix = [], 0
        while True:
            xenc = F.one_hot(torch.tensor([ix]), num_classes=27).float()
            counts = (xenc @ W).exp()
            p = counts / counts.sum(1, keepdims=True)
            ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
            out.append(itos[ix])
            if ix == 0:
                break
        names.append("".join(out))
    yield info("bigram_samples", text=names)


def build_dataset(words, stoi, block_size=3):
    X, Y = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + ".":
            ix = stoi[ch]
            X.append(context)
            Y.append(ix)
            context = context[1:] + [ix]
    return torch.tensor(X), torch.tensor(Y)


def mlp_parameters(g):
    C = torch.randn((27, 10), generator=g)
    W1 = torch.randn((30, 200), generator=g)
    b1 = torch.randn(200, generator=g)
    W2 = torch.randn((200, 27), generator=g)
    b2 = torch.randn(27, generator=g)
    return [C, W1, b1, W2, b2]


def mlp_logits(parameters, X):
    C, W1, b1, W2, b2 = parameters
    emb = C[X]
    h = torch.tanh(emb.view(-1, W1.shape[0]) @ W1 + b1)
    return h @ W2 + b2


def mlp(words, stoi):
    random.seed(42)
    shuffled = list(words)
    random.shuffle(shuffled)
    n1, n2 = int(0.8 * len(shuffled)), int(0.9 * len(shuffled))
    yield info("split_first_words", text=shuffled[:10])
    yield info("split_sizes", text=[f"{n1} {n2 - n1} {len(shuffled) - n2}"])
    Xtr, Ytr = build_dataset(shuffled[:n1], stoi)
    Xdev, _ = build_dataset(shuffled[n1:n2], stoi)
    Xte, _ = build_dataset(shuffled[n2:], stoi)
    yield info("dataset_sizes", text=[f"{Xtr.shape[0]} {Xdev.shape[0]} {Xte.shape[0]}"])
    yield format_record("dataset_first_X", Xtr[:8], show=False)
    yield format_record("dataset_first_Y", Ytr[:8], show=False)

    g = torch.Generator().manual_seed(SEED)
    parameters = mlp_parameters(g)
    for name, p in zip(["C", "W1", "b1", "W2", "b2"], parameters):
        yield format_record(f"mlp_init_{name}", p, show=False)
    yield info("mlp_num_parameters", value=sum(p.nelement() for p in parameters))
    for p in parameters:
        p.requires_grad = True
    losses = []
    for step in range(50):
        ix = torch.randint(0, Xtr.shape[0], (32,), generator=g)
        logits = mlp_logits(parameters, Xtr[ix])
        loss = F.cross_entropy(logits, Ytr[ix])
        if step == 0:
            yield format_record("mlp_first_batch_ix", ix, show=False)
            yield format_record("mlp_first_batch_logits", logits.detach(), show=False,
                                fields=[("loss", float(loss.item()).hex())])
        losses.append(loss.item())
        for p in parameters:
            p.grad = None
        loss.backward()
        for p in parameters:
            p.data += -0.1 * p.grad
    yield format_record("mlp_losses", torch.tensor(losses), show=False, fields=[("lr", 0.1), ("batch", 32)])


def exercises(stoi):
    """Small cases with their own seeds, for the exercise tests."""
    words = ["emma", "olivia", "ava", "isabella", "sophia", "zyx"]
    xs, ys = bigram_pairs(words, stoi)
    g = torch.Generator().manual_seed(42)
    W = torch.randn((27, 27), generator=g, requires_grad=True)
    loss = bigram_loss(W, xs, ys)
    loss.backward()
    yield format_record("exercise_bigram_xs", xs, show=False)
    yield format_record("exercise_bigram_ys", ys, show=False)
    yield format_record("exercise_bigram_W", W.detach(), show=False)
    yield format_record("exercise_bigram_grad", W.grad, show=False, fields=[("loss", float(loss.item()).hex())])

    X, Y = build_dataset(words, stoi)
    g = torch.Generator().manual_seed(7)
    parameters = mlp_parameters(g)
    logits = mlp_logits(parameters, X)
    loss = F.cross_entropy(logits, Y)
    for name, p in zip(["C", "W1", "b1", "W2", "b2"], parameters):
        yield format_record(f"exercise_mlp_{name}", p, show=False)
    yield format_record("exercise_mlp_X", X, show=False)
    yield format_record("exercise_mlp_Y", Y, show=False)
    yield format_record("exercise_mlp_logits", logits, show=False, fields=[("loss", float(loss.item()).hex())])

    # Logits that overflow a naive exp: F.cross_entropy stays finite.
    huge = torch.tensor([[1000.0, 0.0, 999.0], [-500.0, 800.0, 10.0]])
    Yh = torch.tensor([2, 0])
    yield format_record("exercise_ce_huge", huge, show=False,
                        fields=[("loss", float(F.cross_entropy(huge, Yh).item()).hex())])
    yield format_record("exercise_ce_huge_Y", Yh, show=False)


def main():
    torch.set_num_threads(1)
    words = open(NAMES).read().splitlines()
    stoi, itos = vocabulary(words)
    records = list(neural_bigram(words, stoi, itos)) + list(mlp(words, stoi)) + list(exercises(stoi))
    write_reference(NAME, records)


if __name__ == "__main__":
    main()
