#pragma once
// The KV cache (lesson 11): the book's GPTModel generating one token at a time and
// keeping every layer's keys and values, so that a new token costs one row of work
// per layer instead of a forward pass over the whole prefix.
//
// Why it is exact: under the causal mask, token t's keys, values and output never
// depend on the tokens after it. Recomputing the prefix each step therefore
// recomputes rows that cannot have changed; only the newest row is new.
//
//   Generator g(123);
//   GPTModel model(cfg, g);
//   CachedGPT cached(model);
//   Tensor logits = cached.step(token);    // (V): the next token's logits, position cached.length() - 1
//
// Per new token t (0-based), with C = emb_dim and L layers: the cached step does
// about L * (12 C^2 + 2 (t + 1) C) multiply-adds; a forward over the t + 1 tokens
// does t + 1 times the first term and about (t + 1)^2 C per layer for attention.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "lib/gpt.hpp"
#include "lib/tensor.hpp"

namespace wb {

class CachedGPT {
public:
    // A dense model (no experts: ValueError otherwise). The model must outlive this.
    explicit CachedGPT(GPTModel& model);

    // Feeds the next token (an id below vocab_size) at position length(), keeps its
    // keys and values, and returns the logits for the token after it (V). IndexError
    // for a bad id; ValueError once the model's context_length tokens are cached.
    Tensor step(std::size_t token);

    // Tokens fed so far
    std::size_t length() const { return length_; }
    // What the cache holds now: 2 (K and V) * layers * length * emb_dim float32 numbers
    std::uint64_t cache_bytes() const;
    // Forgets every token (a new sequence)
    void reset() { length_ = 0; }

private:
    GPTModel& model_;
    std::size_t length_ = 0;
    // per layer: keys and values (context_length, emb_dim), the rows [0, length_) filled
    std::vector<Tensor> keys_, values_;
};

// The logits of the last position after a full forward pass over `tokens` (one row
// of the batch): what generation without a cache computes at every step. (V)
Tensor last_logits(GPTModel& model, const std::vector<std::size_t>& tokens);

}  // namespace wb
