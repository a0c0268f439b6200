#include "lib/optim.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "lib/errors.hpp"

namespace wb {

Optimizer::Optimizer(std::vector<Tensor*> parameters, std::vector<Tensor*> gradients, const char* name)
    : parameters_(std::move(parameters)), gradients_(std::move(gradients)) {
    if (parameters_.size() != gradients_.size())
        throw ValueError(fmt::format("{}: {} parameters but {} gradients", name, parameters_.size(), gradients_.size()));
    for (std::size_t i = 0; i < parameters_.size(); ++i)
        if (parameters_[i]->shape() != gradients_[i]->shape())
            throw ShapeError(fmt::format("{}: parameter {} has shape {} but its gradient {}", name, i,
                                         to_string(parameters_[i]->shape()), to_string(gradients_[i]->shape())));
}

void Optimizer::zero_grad() {
    for (Tensor* g : gradients_) std::fill(g->values().begin(), g->values().end(), 0.0f);
}

SGD::SGD(std::vector<Tensor*> parameters, std::vector<Tensor*> gradients)
    : Optimizer(std::move(parameters), std::move(gradients), "SGD") {}

void SGD::step(float lr) {
    for (std::size_t i = 0; i < parameters_.size(); ++i) {
        float* p = parameters_[i]->data();
        const float* g = gradients_[i]->data();
        for (std::size_t k = 0; k < parameters_[i]->numel(); ++k) p[k] += -lr * g[k];
    }
}

AdamW::AdamW(std::vector<Tensor*> parameters, std::vector<Tensor*> gradients, AdamWOptions options,
             std::vector<bool> decay)
    : Optimizer(std::move(parameters), std::move(gradients), "AdamW"), options_(options), decay_(std::move(decay)) {
    if (decay_.empty()) decay_.assign(parameters_.size(), true);
    if (decay_.size() != parameters_.size())
        throw ValueError(fmt::format("AdamW: {} decay flags for {} parameters", decay_.size(), parameters_.size()));
    if (!(options_.beta1 >= 0 && options_.beta1 < 1 && options_.beta2 >= 0 && options_.beta2 < 1))
        throw ValueError(fmt::format("AdamW: betas ({}, {}) must each be in [0, 1)", options_.beta1, options_.beta2));
    for (const Tensor* p : parameters_) {
        m_.emplace_back(p->shape());
        v_.emplace_back(p->shape());
    }
}

void AdamW::step(float lr) {
    ++t_;
    // The scalars in double, as torch's Python code computes them; the tensors in float.
    const auto step = static_cast<double>(t_);
    const double bias_correction1 = 1.0 - std::pow(options_.beta1, step);
    const double bias_correction2 = 1.0 - std::pow(options_.beta2, step);
    const auto step_size = static_cast<float>(lr / bias_correction1);
    const auto bias_correction2_sqrt = static_cast<float>(std::sqrt(bias_correction2));
    const auto b1 = static_cast<float>(options_.beta1), b2 = static_cast<float>(options_.beta2);
    const auto one_minus_b1 = static_cast<float>(1.0 - options_.beta1), one_minus_b2 = static_cast<float>(1.0 - options_.beta2);
    const auto eps = static_cast<float>(options_.eps);
    const auto shrink = static_cast<float>(1.0 - lr * options_.weight_decay);
    for (std::size_t i = 0; i < parameters_.size(); ++i) {
        float* p = parameters_[i]->data();
        const float* g = gradients_[i]->data();
        float *m = m_[i].data(), *v = v_[i].data();
        const bool decay = decay_[i];
        for (std::size_t k = 0; k < parameters_[i]->numel(); ++k) {
            if (decay) p[k] *= shrink;
            m[k] = m[k] * b1 + one_minus_b1 * g[k];
            v[k] = v[k] * b2 + one_minus_b2 * g[k] * g[k];
            p[k] += -step_size * (m[k] / (std::sqrt(v[k]) / bias_correction2_sqrt + eps));
        }
    }
}

}  // namespace wb
