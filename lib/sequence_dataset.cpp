#include "lib/sequence_dataset.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/words.hpp"

namespace wb {

void SequenceDataset::gather(const std::vector<std::int64_t>& ix, std::vector<std::size_t>& Xb,
                             std::vector<std::int64_t>& Yb) const {
    Xb.resize(ix.size() * block_size);
    Yb.resize(ix.size() * block_size);
    for (std::size_t b = 0; b < ix.size(); ++b) {
        if (ix[b] < 0 || static_cast<std::size_t>(ix[b]) >= size())
            throw IndexError(fmt::format("dataset: row {} is out of range for {} rows", ix[b], size()));
        const auto i = static_cast<std::size_t>(ix[b]);
        std::copy_n(X.begin() + static_cast<std::ptrdiff_t>(i * block_size), block_size, Xb.begin() + static_cast<std::ptrdiff_t>(b * block_size));
        std::copy_n(Y.begin() + static_cast<std::ptrdiff_t>(i * block_size), block_size, Yb.begin() + static_cast<std::ptrdiff_t>(b * block_size));
    }
}

std::size_t count_targets(const std::vector<std::int64_t>& Y) {
    return static_cast<std::size_t>(std::count_if(Y.begin(), Y.end(), [](std::int64_t y) { return y != -1; }));
}

SequenceDataset build_sequences(const std::vector<std::string>& words, std::size_t block_size) {
    if (block_size == 0)
        for (const std::string& w : words) block_size = std::max(block_size, w.size() + 1);
    SequenceDataset data;
    data.block_size = block_size;
    for (const std::string& w : words) {
        if (w.size() + 1 > block_size)
            throw DataError(fmt::format("build_sequences: '{}' has {} characters; rows of {} hold at most {}", w,
                                        w.size(), block_size, block_size - 1));
        std::vector<std::size_t> x(block_size, 0);
        std::vector<std::int64_t> y(block_size, -1);
        for (std::size_t t = 0; t < w.size(); ++t) {
            x[t + 1] = stoi(w[t]);
            y[t] = static_cast<std::int64_t>(stoi(w[t]));
        }
        y[w.size()] = 0;  // then '.', the end
        data.num_targets += w.size() + 1;
        data.X.insert(data.X.end(), x.begin(), x.end());
        data.Y.insert(data.Y.end(), y.begin(), y.end());
    }
    return data;
}

}  // namespace wb
