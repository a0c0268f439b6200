#include "lib/gpt_sample.hpp"

#include <algorithm>
#include <vector>

#include "lib/words.hpp"
#include "lib/ops.hpp"

namespace wb {

std::string sample_word(GPTModel& model, Generator& g) {
    const std::size_t V = model.config().vocab_size;
    std::vector<std::size_t> idx = {0};
    std::string out;
    // the last position's logits predict the next character; once the context is full,
    // the name stops (no name in names.txt is that long)
    while (idx.size() <= model.config().context_length) {
        const Tensor& logits = model.forward(idx, 1, idx.size());  // (1, T, V)
        Tensor last(Shape{V});
        std::copy_n(logits.data() + (idx.size() - 1) * V, V, last.data());
        const auto ix = static_cast<std::size_t>(g.multinomial(softmax(last, -1), 1)[0]);
        out += itos(ix);
        if (ix == 0) return out;
        idx.push_back(ix);
    }
    return out;
}

}  // namespace wb
