#pragma once
// The ring's bookkeeping, with no communication in it: how T tokens are split into
// P blocks, which block of keys and values each rank holds at each step, which of
// those a causal rank skips, and how many bytes travel. Exercises 12.1-12.3 are the
// same functions written by the student.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace ring {

// torch.tensor_split(x, P) along the tokens: the first T % P blocks get one token
// more than the others (T = 6, P = 4: 2, 2, 1, 1). Blocks differ by at most one
// token, so no rank waits long for a bigger one. ValueError for P = 0 or P > T.
std::vector<std::size_t> block_sizes(std::size_t tokens, std::size_t ranks);
// Where each block starts: 0, then the running sum of the sizes.
std::vector<std::size_t> block_starts(const std::vector<std::size_t>& sizes);

// The block of keys and values rank r holds at step s: its own at step 0, then
// each step every rank passes its block to rank r + 1 and takes rank r - 1's, so
// the blocks turn round the ring: (r - s) mod P (torch.roll(torch.arange(P), s)[r]).
std::size_t held_block(std::size_t rank, std::size_t step, std::size_t ranks);

// Causal attention: rank r's queries are tokens of block r, so every key of a
// block b > r is in their future; the rank skips it without computing.
bool skips(std::size_t rank, std::size_t block);

// Whether rank r passes its block on to rank r + 1 after step s. In the full ring
// every rank does, at steps 0 .. P-2. Causal: only when someone down the ring still
// needs the block: block b is needed by ranks b .. P-1, so it stops at rank P-1
// and never wraps round to rank 0 (rank r sends at steps s <= r, r < P-1).
bool sends(std::size_t rank, std::size_t step, std::size_t ranks, bool causal);
// Whether rank r receives a block from rank r - 1 after step s (when r - 1 sends).
bool receives(std::size_t rank, std::size_t step, std::size_t ranks, bool causal);

// The bytes of one block's keys and values: rows x (d_k + d_v) float32 numbers.
std::uint64_t block_bytes(std::size_t rows, std::size_t d_k, std::size_t d_v);

// Everything the ring sends, by the formula: block b travels P - 1 hops in the
// full ring ((P-1) steps x P ranks x block bytes when the blocks are equal), and
// P - 1 - b hops when causal (to rank P-1 and no further).
std::uint64_t ring_bytes(const std::vector<std::size_t>& sizes, std::size_t d_k, std::size_t d_v, bool causal);

// The whole schedule, rank by rank: entry r * P + s is held_block(r, s, P).
std::vector<std::size_t> schedule(std::size_t ranks);

}  // namespace ring
