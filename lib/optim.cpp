#include "lib/optim.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "lib/errors.hpp"

namespace wb {

SGD::SGD(std::vector<Tensor*> parameters, std::vector<Tensor*> gradients)
    : parameters_(std::move(parameters)), gradients_(std::move(gradients)) {
    if (parameters_.size() != gradients_.size())
        throw ValueError(fmt::format("SGD: {} parameters but {} gradients", parameters_.size(), gradients_.size()));
    for (std::size_t i = 0; i < parameters_.size(); ++i)
        if (parameters_[i]->shape() != gradients_[i]->shape())
            throw ShapeError(fmt::format("SGD: parameter {} has shape {} but its gradient {}", i,
                                         to_string(parameters_[i]->shape()), to_string(gradients_[i]->shape())));
}

void SGD::step(float lr) {
    for (std::size_t i = 0; i < parameters_.size(); ++i) {
        float* p = parameters_[i]->data();
        const float* g = gradients_[i]->data();
        for (std::size_t k = 0; k < parameters_[i]->numel(); ++k) p[k] += -lr * g[k];
    }
}

void SGD::zero_grad() {
    for (Tensor* g : gradients_) std::fill(g->values().begin(), g->values().end(), 0.0f);
}

}  // namespace wb
