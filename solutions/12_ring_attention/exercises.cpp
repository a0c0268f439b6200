// Reference answers to lesson 12's exercises (the contract is in
// lessons/12_ring_attention/exercises.hpp).
#include "exercises.hpp"

#include <string>

#include "lib/errors.hpp"

namespace lesson12 {

std::size_t held_block(std::size_t rank, std::size_t step, std::size_t ranks) {
    // (rank - step) mod ranks, with ranks added first: a size_t cannot go below zero
    return (rank + ranks - step % ranks) % ranks;
}

std::vector<std::size_t> block_sizes(std::size_t tokens, std::size_t ranks) {
    if (ranks == 0 || ranks > tokens)
        throw wb::ValueError("cannot split " + std::to_string(tokens) + " tokens into " + std::to_string(ranks) +
                             " blocks of at least one token");
    std::vector<std::size_t> sizes(ranks, tokens / ranks);
    for (std::size_t b = 0; b < tokens % ranks; ++b) ++sizes[b];
    return sizes;
}

std::uint64_t ring_bytes(const std::vector<std::size_t>& sizes, std::size_t d_k, std::size_t d_v, bool causal) {
    const std::size_t ranks = sizes.size();
    std::uint64_t total = 0;
    for (std::size_t b = 0; b < ranks; ++b) {
        const std::uint64_t hops = causal ? ranks - 1 - b : ranks - 1;
        total += hops * sizes[b] * (d_k + d_v) * 4;
    }
    return total;
}

}  // namespace lesson12
