#include "lib/model.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/ops.hpp"
#include "lib/words.hpp"

namespace wb {

float Model::evaluate(const NgramDataset& data) {
    if (data.size() == 0) throw ValueError("evaluate: the dataset is empty");
    if (data.block_size != block_size())
        throw ShapeError(fmt::format("evaluate: the dataset's contexts have {} characters, the model reads {}",
                                     data.block_size, block_size()));
    const std::size_t chunk = 4096, T = data.block_size;
    double total = 0.0;
    std::vector<std::size_t> X, Y;
    for (std::size_t start = 0; start < data.size(); start += chunk) {
        const std::size_t end = std::min(data.size(), start + chunk);
        X.assign(data.X.begin() + static_cast<std::ptrdiff_t>(start * T),
                 data.X.begin() + static_cast<std::ptrdiff_t>(end * T));
        Y.assign(data.Y.begin() + static_cast<std::ptrdiff_t>(start), data.Y.begin() + static_cast<std::ptrdiff_t>(end));
        forward(X);
        // a chunk's mean loss, weighted by its size: the mean over the whole set
        total += static_cast<double>(loss(Y)) * static_cast<double>(end - start);
    }
    return static_cast<float>(total / static_cast<double>(data.size()));
}

std::size_t Model::num_parameters() {
    std::size_t n = 0;
    for (const Tensor* p : parameters()) n += p->numel();
    return n;
}

void Model::zero_grad() {
    for (Tensor* g : gradients()) std::fill(g->values().begin(), g->values().end(), 0.0f);
}

std::string sample_word(Model& model, Generator& g, std::size_t max_length) {
    std::vector<std::size_t> context(model.block_size(), 0);
    std::string out;
    while (out.size() < max_length) {
        const Tensor probs = softmax(model.forward(context), -1);
        const auto ix = static_cast<std::size_t>(g.multinomial(probs.row(0), 1)[0]);
        out += itos(ix);
        if (ix == 0) break;
        context.erase(context.begin());
        context.push_back(ix);
    }
    return out;
}

std::string sample_bigram(const Tensor& P, Generator& g, std::size_t max_length) {
    std::string out;
    std::size_t ix = 0;
    do {
        ix = static_cast<std::size_t>(g.multinomial(P.row(ix), 1)[0]);
        out += itos(ix);
    } while (ix != 0 && out.size() < max_length);
    return out;
}

}  // namespace wb
