#include "lib/ngram_dataset.hpp"

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/python_random.hpp"
#include "lib/words.hpp"

namespace wb {

void NgramDataset::gather(const std::vector<std::int64_t>& ix, std::vector<std::size_t>& Xb,
                          std::vector<std::size_t>& Yb) const {
    Xb.resize(ix.size() * block_size);
    Yb.resize(ix.size());
    for (std::size_t b = 0; b < ix.size(); ++b) {
        if (ix[b] < 0 || static_cast<std::size_t>(ix[b]) >= size())
            throw IndexError(fmt::format("dataset: example {} is out of range for {} examples", ix[b], size()));
        const auto i = static_cast<std::size_t>(ix[b]);
        for (std::size_t t = 0; t < block_size; ++t) Xb[b * block_size + t] = X[i * block_size + t];
        Yb[b] = Y[i];
    }
}

NgramDataset build_dataset(const std::vector<std::string>& words, std::size_t block_size) {
    if (block_size == 0) throw ValueError("build_dataset: block_size must be at least 1");
    NgramDataset data;
    data.block_size = block_size;
    for (const std::string& w : words) {
        std::vector<std::size_t> context(block_size, 0);  // '.' before the word starts
        for (char ch : w + ".") {
            const std::size_t ix = stoi(ch);
            data.X.insert(data.X.end(), context.begin(), context.end());
            data.Y.push_back(ix);
            context.erase(context.begin());  // slide the window: drop the oldest, append the new
            context.push_back(ix);
        }
    }
    return data;
}

WordSplit split_words(std::vector<std::string> words, std::uint64_t seed) {
    PythonRandom random(seed);
    random.shuffle(words);
    // int(0.8 * len(words)) and int(0.9 * len(words)), in double as Python computes them
    const auto n = static_cast<double>(words.size());
    const auto n1 = static_cast<std::size_t>(0.8 * n), n2 = static_cast<std::size_t>(0.9 * n);
    WordSplit split;
    split.train.assign(words.begin(), words.begin() + static_cast<std::ptrdiff_t>(n1));
    split.dev.assign(words.begin() + static_cast<std::ptrdiff_t>(n1), words.begin() + static_cast<std::ptrdiff_t>(n2));
    split.test.assign(words.begin() + static_cast<std::ptrdiff_t>(n2), words.end());
    return split;
}

}  // namespace wb
