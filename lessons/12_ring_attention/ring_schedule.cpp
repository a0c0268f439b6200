#include "ring_schedule.hpp"

#include <fmt/format.h>

#include "lib/errors.hpp"

namespace ring {

std::vector<std::size_t> block_sizes(std::size_t tokens, std::size_t ranks) {
    if (ranks == 0 || ranks > tokens)
        throw wb::ValueError(fmt::format("{} tokens cannot be split into {} blocks: every rank needs at least one "
                                         "token, so 1 to {} ranks",
                                         tokens, ranks, tokens));
    std::vector<std::size_t> sizes(ranks, tokens / ranks);
    for (std::size_t b = 0; b < tokens % ranks; ++b) ++sizes[b];
    return sizes;
}

std::vector<std::size_t> block_starts(const std::vector<std::size_t>& sizes) {
    std::vector<std::size_t> starts(sizes.size(), 0);
    for (std::size_t b = 1; b < sizes.size(); ++b) starts[b] = starts[b - 1] + sizes[b - 1];
    return starts;
}

std::size_t held_block(std::size_t rank, std::size_t step, std::size_t ranks) {
    return (rank + ranks - step % ranks) % ranks;  // + ranks first: size_t has no negative numbers
}

bool skips(std::size_t rank, std::size_t block) { return block > rank; }

bool sends(std::size_t rank, std::size_t step, std::size_t ranks, bool causal) {
    if (step + 1 >= ranks) return false;  // after the last step nobody needs anything
    if (!causal) return true;
    return rank + 1 < ranks && !skips(rank + 1, held_block(rank, step, ranks));
}

bool receives(std::size_t rank, std::size_t step, std::size_t ranks, bool causal) {
    return sends((rank + ranks - 1) % ranks, step, ranks, causal);
}

std::uint64_t block_bytes(std::size_t rows, std::size_t d_k, std::size_t d_v) {
    return static_cast<std::uint64_t>(rows) * (d_k + d_v) * sizeof(float);
}

std::uint64_t ring_bytes(const std::vector<std::size_t>& sizes, std::size_t d_k, std::size_t d_v, bool causal) {
    const std::size_t P = sizes.size();
    std::uint64_t total = 0;
    for (std::size_t b = 0; b < P; ++b) total += (causal ? P - 1 - b : P - 1) * block_bytes(sizes[b], d_k, d_v);
    return total;
}

std::vector<std::size_t> schedule(std::size_t ranks) {
    std::vector<std::size_t> table;
    for (std::size_t r = 0; r < ranks; ++r)
        for (std::size_t s = 0; s < ranks; ++s) table.push_back(held_block(r, s, ranks));
    return table;
}

}  // namespace ring
