#pragma once
// The training rows of makemore's sequence models (its CharDataset): one row per
// word, the word's characters after a '.' as the input, the same characters
// followed by '.' as the targets, padded to block_size. Every position predicts
// the next character from all the characters before it; -1 marks padding, which
// the loss skips.
//
//   "emma", block_size 8:   x = . e m m a . . .      (0 = '.', also the padding input)
//                           y = e m m a . -1 -1 -1
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace wb {

struct SequenceDataset {
    std::size_t block_size = 0;
    std::vector<std::size_t> X;   // (N, block_size), row-major
    std::vector<std::int64_t> Y;  // (N, block_size), -1 after the word's end
    std::size_t num_targets = 0;  // targets that are not -1: the characters to predict

    std::size_t size() const { return block_size == 0 ? 0 : X.size() / block_size; }
    // Xb, Yb = X[ix], Y[ix]
    void gather(const std::vector<std::int64_t>& ix, std::vector<std::size_t>& Xb, std::vector<std::int64_t>& Yb) const;
};

// How many of the targets are characters to predict (not -1, padding).
std::size_t count_targets(const std::vector<std::int64_t>& Y);

// block_size 0 takes the longest word plus one. A word longer than block_size - 1
// is a DataError naming it.
SequenceDataset build_sequences(const std::vector<std::string>& words, std::size_t block_size = 0);

}  // namespace wb
