#pragma once
// Lesson 12's exercises: the contract. Write the bodies in exercises.cpp, then
// check them with `./workbook check 12`. No MPI in them: they are the ring's
// bookkeeping, which every rank computes for itself (ring_schedule.hpp has the
// lesson's own versions).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "lib/tensor.hpp"

namespace lesson12 {

using wb::Tensor;

// Exercise 12.1: the ring schedule. Which block of keys and values rank `rank` of
// `ranks` holds at step `step` (0 .. ranks-1): its own block at step 0; after
// each step every rank hands its block to rank + 1 and takes rank - 1's (rank 0
// takes the last rank's). With 4 ranks, rank 1 holds blocks 1, 0, 3, 2 at steps
// 0, 1, 2, 3. (A causal rank skips the blocks above its own number.)
std::size_t held_block(std::size_t rank, std::size_t step, std::size_t ranks);

// Exercise 12.2: the split. The sizes of the `ranks` blocks `tokens` tokens are cut
// into, as torch.tensor_split cuts them: as equal as can be, the first
// tokens % ranks blocks one token longer. 6 tokens, 4 ranks -> {2, 2, 1, 1};
// 8 tokens, 4 ranks -> {2, 2, 2, 2}. wb::ValueError when ranks is 0 or more than
// tokens (a rank with no token has no queries).
std::vector<std::size_t> block_sizes(std::size_t tokens, std::size_t ranks);

// Exercise 12.3: the communication volume. The bytes the whole ring sends, for
// blocks of `sizes` rows (one per rank), keys d_k wide and values d_v wide,
// float32: each hop of block b carries sizes[b] x (d_k + d_v) x 4 bytes. In the
// full ring (causal false) every block makes ranks - 1 hops; causal, block b is
// only passed on while a later rank still needs it: ranks - 1 - b hops.
// {2, 2, 1, 1}, d_k = d_v = 2 (16 bytes a token): full 3 x 6 x 16 = 288 bytes;
// causal 3 x 32 + 2 x 32 + 1 x 16 + 0 x 16 = 176.
std::uint64_t ring_bytes(const std::vector<std::size_t>& sizes, std::size_t d_k, std::size_t d_v, bool causal);

}  // namespace lesson12
