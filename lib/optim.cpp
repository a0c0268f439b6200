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
    if (!(lr >= 0.0f) || !std::isfinite(lr))
        throw ValueError(fmt::format("SGD: the learning rate must be a finite number >= 0, got {}", lr));
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
        throw ValueError(fmt::format("AdamW: decay has {} entries for {} parameters (give one per parameter, or none "
                                     "to decay all)",
                                     decay_.size(), parameters_.size()));
    // torch's checks, in its words; !(x >= 0) also refuses NaN
    if (!(options_.eps >= 0.0)) throw ValueError(fmt::format("AdamW: invalid epsilon value: {}", options_.eps));
    if (!(options_.beta1 >= 0.0 && options_.beta1 < 1.0))
        throw ValueError(fmt::format("AdamW: invalid beta parameter at index 0: {}", options_.beta1));
    if (!(options_.beta2 >= 0.0 && options_.beta2 < 1.0))
        throw ValueError(fmt::format("AdamW: invalid beta parameter at index 1: {}", options_.beta2));
    if (!(options_.weight_decay >= 0.0))
        throw ValueError(fmt::format("AdamW: invalid weight_decay value: {}", options_.weight_decay));
    for (const Tensor* p : parameters_) {
        m_.emplace_back(p->shape());
        v_.emplace_back(p->shape());
    }
}

// The arithmetic follows torch 1.13's _single_tensor_adamw (torch/optim/adamw.py)
// operation by operation, so a run matches torch bit for bit (tests/lib/test_optim.cpp,
// 30 steps on 1,000 elements, from data/reference/layers.py):
//  - the scalars (bias corrections, step size, 1 - lr * weight_decay) are Python
//    floats, doubles, rounded to float only where they meet a tensor;
//  - torch's AVX2 kernels compute m * beta1 + (1 - beta1) * g and
//    v * beta2 + (1 - beta2) * g * g with one fused multiply-add each (the second
//    product rounded first), hence std::fma; a plain multiply and add leaves 47 of
//    the test's 1,000 elements different in the last bits;
//  - the update is p + (-step_size * m) / denom, in addcdiv_'s order.
// Not matched: torch on a processor without FMA, and torch 2's m.lerp_(g, 1 - beta1).
void AdamW::step(float lr) {
    if (!(lr >= 0.0f) || !std::isfinite(lr))
        throw ValueError(fmt::format("AdamW: the learning rate must be a finite number >= 0, got {}", lr));
    ++t_;
    const auto t = static_cast<double>(t_);
    const double bias_correction1 = 1.0 - std::pow(options_.beta1, t);
    const double bias_correction2 = 1.0 - std::pow(options_.beta2, t);
    const auto neg_step_size = static_cast<float>(-(static_cast<double>(lr) / bias_correction1));
    const auto bias_correction2_sqrt = static_cast<float>(std::sqrt(bias_correction2));
    const auto b1 = static_cast<float>(options_.beta1), b2 = static_cast<float>(options_.beta2);
    const auto one_minus_b1 = static_cast<float>(1.0 - options_.beta1);
    const auto one_minus_b2 = static_cast<float>(1.0 - options_.beta2);
    const auto eps = static_cast<float>(options_.eps);
    const auto shrink = static_cast<float>(1.0 - static_cast<double>(lr) * options_.weight_decay);
    for (std::size_t i = 0; i < parameters_.size(); ++i) {
        float* p = parameters_[i]->data();
        const float* g = gradients_[i]->data();
        float *m = m_[i].data(), *v = v_[i].data();
        const bool decay = decay_[i];
        for (std::size_t k = 0; k < parameters_[i]->numel(); ++k) {
            if (decay) p[k] *= shrink;                             // decoupled weight decay
            m[k] = std::fma(one_minus_b1, g[k], m[k] * b1);        // running mean of g
            v[k] = std::fma(one_minus_b2 * g[k], g[k], v[k] * b2); // running mean of g^2
            const float denom = std::sqrt(v[k]) / bias_correction2_sqrt + eps;
            p[k] += neg_step_size * m[k] / denom;
        }
    }
}

std::vector<bool> decay_matrices(const std::vector<Tensor*>& parameters) {
    std::vector<bool> decay;
    for (const Tensor* p : parameters) decay.push_back(p->dim() >= 2);
    return decay;
}

}  // namespace wb
