#pragma once
// The training examples of makemore's n-gram models. Every position of every
// word gives one example: the previous block_size characters (with '.' before
// the word starts) and the character that follows ('.' after the last one).
//
//   "emma", block_size 3:   ... -> e   ..e -> m   .em -> m   emm -> a   mma -> .
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace wb {

struct NgramDataset {
    std::size_t block_size = 0;
    std::vector<std::size_t> X;  // (N, block_size), row-major: the contexts
    std::vector<std::size_t> Y;  // (N): the character after each context

    std::size_t size() const { return Y.size(); }
    // Xb, Yb = X[ix], Y[ix]: the examples of a minibatch, as torch indexes them.
    void gather(const std::vector<std::int64_t>& ix, std::vector<std::size_t>& Xb, std::vector<std::size_t>& Yb) const;
};

NgramDataset build_dataset(const std::vector<std::string>& words, std::size_t block_size);

// makemore's split: random.seed(seed); random.shuffle(words); then the first 80%
// train, the next 10% dev (for choosing settings), the last 10% test.
struct WordSplit {
    std::vector<std::string> train, dev, test;
};
WordSplit split_words(std::vector<std::string> words, std::uint64_t seed = 42);

}  // namespace wb
