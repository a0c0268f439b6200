"""Reference data for lesson 01: the bigram count model (makemore, part 1).

Follows the first half of Andrej Karpathy's "The spelled-out intro to language
modeling: building makemore" on data/names.txt step by step: the 27-symbol
vocabulary ('.' is 0), the 27x27 bigram count matrix N, the probability rows,
sampling names with a seeded generator, and the (average negative) log
likelihood of the training set, with and without add-one smoothing. Then a
small word list for the exercise tests, so a hard-coded answer cannot pass.

Tensor records hold dtype, shape and the exact values (float32 as float.hex,
int32/int64 as decimal) and, where the walkthrough prints them, the lines of
str(tensor). Records with `op info` hold plain Python results: a `value`, or
`text` lines.

Re-run (from the repository root or anywhere) with Debian's torch:

    /usr/bin/python3 data/reference/lesson01.py

It reads data/names.txt and rewrites lesson01.txt next to this file. Output is
deterministic.
"""

import os

import torch

from records import format_record, info, write_reference

NAME = "lesson01"
HERE = os.path.dirname(os.path.abspath(__file__))
NAMES = os.path.join(HERE, "..", "names.txt")


def bigram_counts(words, stoi):
    """The walkthrough's N: int32 counts of every bigram, '.' at both ends."""
    N = torch.zeros((27, 27), dtype=torch.int32)
    for w in words:
        chs = ['.'] + list(w) + ['.']
        for ch1, ch2 in zip(chs, chs[1:]):
            N[stoi[ch1], stoi[ch2]] += 1
    return N


def log_likelihood_of(words, P, stoi):
    """Sum of log P over every bigram, accumulated one float32 add at a time."""
    log_likelihood = 0.0
    n = 0
    for w in words:
        chs = ['.'] + list(w) + ['.']
        for ch1, ch2 in zip(chs, chs[1:]):
            prob = P[stoi[ch1], stoi[ch2]]
            logprob = torch.log(prob)
            log_likelihood += logprob
            n += 1
    return log_likelihood, n


def word_report(word, P, stoi):
    """The walkthrough's per-bigram printout for one word, then its average NLL."""
    lines = []
    log_likelihood = 0.0
    n = 0
    chs = ['.'] + list(word) + ['.']
    for ch1, ch2 in zip(chs, chs[1:]):
        prob = P[stoi[ch1], stoi[ch2]]
        logprob = torch.log(prob)
        log_likelihood += logprob
        n += 1
        lines.append(f'{ch1}{ch2}: {prob:.4f} {logprob:.4f}')
    nll = -log_likelihood
    lines.append(f"nll_avg {(nll / n).item():.4f}")
    return lines


def walkthrough(words):
    """Yield records in the order the walkthrough computes them."""
    yield info("num_words", value=len(words))
    yield info("min_len", value=min(len(w) for w in words))
    yield info("max_len", value=max(len(w) for w in words))
    yield info("num_bigrams", value=sum(len(w) + 1 for w in words))

    chars = sorted(set(''.join(words)))
    stoi = {s: i + 1 for i, s in enumerate(chars)}
    stoi['.'] = 0
    itos = {i: s for s, i in stoi.items()}

    N = bigram_counts(words, stoi)
    yield format_record("N", N, show=False)
    yield format_record("N_row0", N[0])

    # Most frequent bigrams; ties by (ix1, ix2), which sorted() keeps.
    pairs = sorted(((-N[i, j].item(), i, j) for i in range(27) for j in range(27)))
    top = [f"{itos[i]}{itos[j]} {-neg}" for neg, i, j in pairs[:10]]
    yield info("top_bigrams", text=top)

    # The first row as probabilities, before any smoothing.
    p = N[0].float()
    p = p / p.sum()
    yield format_record("P_row0_counts", p)

    # Add-one smoothing; each row normalised in place by broadcasting.
    P = (N + 1).float()
    P /= P.sum(1, keepdims=True)
    yield format_record("P", P, show=False)
    yield format_record("P_row0", P[0])

    g = torch.Generator().manual_seed(2147483647)
    samples = []
    for _ in range(5):
        out = []
        ix = 0
        while True:
            p = P[ix]
            ix = torch.multinomial(p, num_samples=1, replacement=True, generator=g).item()
            out.append(itos[ix])
            if ix == 0:
                break
        samples.append(''.join(out))
    yield info("samples", text=samples)

    log_likelihood, n = log_likelihood_of(words, P, stoi)
    nll = -log_likelihood
    yield format_record("log_likelihood", log_likelihood)
    yield format_record("nll", nll)
    yield format_record("nll_avg", nll / n)

    # Without smoothing every bigram of the training set still has a count,
    # so the loss stays finite here.
    P0 = N.float()
    P0 /= P0.sum(1, keepdims=True)
    log_likelihood0, n0 = log_likelihood_of(words, P0, stoi)
    nll0 = -log_likelihood0
    yield format_record("log_likelihood_smoothing0", log_likelihood0)
    yield format_record("nll_smoothing0", nll0)
    yield format_record("nll_avg_smoothing0", nll0 / n0)

    # "jq" never occurs: probability 0, log -inf, average NLL inf, until smoothed.
    yield info("andrejq_smoothing0", text=word_report("andrejq", P0, stoi))
    yield info("andrejq_smoothing1", text=word_report("andrejq", P, stoi))


def exercises(words):
    """The same model trained on the first five names, for the exercise tests."""
    chars = sorted(set(''.join(words)))
    stoi = {s: i + 1 for i, s in enumerate(chars)}
    stoi['.'] = 0

    small = words[:5]
    assert small == ["emma", "olivia", "ava", "isabella", "sophia"], small
    small_N = bigram_counts(small, stoi).float()
    yield format_record("small_N", small_N, show=False)
    small_P = small_N + 1
    small_P /= small_P.sum(1, keepdims=True)
    yield format_record("small_P_smooth1", small_P, show=False)

    ll, n = log_likelihood_of(small, small_P, stoi)
    yield format_record("small_nll_avg_smooth1", -ll / n)
    ll, n = log_likelihood_of(words[:100], small_P, stoi)
    yield format_record("names_nll_avg_under_small_P", -ll / n)


def main():
    torch.set_num_threads(1)
    words = open(NAMES).read().splitlines()
    records = list(walkthrough(words)) + list(exercises(words))
    write_reference(NAME, records)


if __name__ == "__main__":
    main()
