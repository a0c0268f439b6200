#include "lib/optim.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "lib/errors.hpp"

namespace wb {
namespace {

// One gradient per parameter, of the same shape.
void check_gradients(const char* optimizer, const std::vector<Tensor*>& parameters,
                     const std::vector<Tensor*>& gradients) {
    if (parameters.size() != gradients.size())
        throw ValueError(fmt::format("{}: {} parameters but {} gradients", optimizer, parameters.size(),
                                     gradients.size()));
    for (std::size_t i = 0; i < parameters.size(); ++i)
        if (parameters[i]->shape() != gradients[i]->shape())
            throw ShapeError(fmt::format("{}: parameter {} has shape {} but its gradient {}", optimizer, i,
                                         to_string(parameters[i]->shape()), to_string(gradients[i]->shape())));
}

void fill_zeros(const std::vector<Tensor*>& gradients) {
    for (Tensor* g : gradients) std::fill(g->values().begin(), g->values().end(), 0.0f);
}

}  // namespace

SGD::SGD(std::vector<Tensor*> parameters, std::vector<Tensor*> gradients)
    : parameters_(std::move(parameters)), gradients_(std::move(gradients)) {
    check_gradients("SGD", parameters_, gradients_);
}

void SGD::step(float lr) {
    for (std::size_t i = 0; i < parameters_.size(); ++i) {
        float* p = parameters_[i]->data();
        const float* g = gradients_[i]->data();
        for (std::size_t k = 0; k < parameters_[i]->numel(); ++k) p[k] += -lr * g[k];
    }
}

void SGD::zero_grad() { fill_zeros(gradients_); }

AdamW::AdamW(std::vector<Tensor*> parameters, std::vector<Tensor*> gradients, AdamWOptions options,
             std::vector<bool> decay)
    : parameters_(std::move(parameters)), gradients_(std::move(gradients)), options_(options),
      decay_(std::move(decay)) {
    check_gradients("AdamW", parameters_, gradients_);
    if (!decay_.empty() && decay_.size() != parameters_.size())
        throw ValueError(fmt::format("AdamW: decay has {} entries for {} parameters (give one per parameter, or none "
                                     "to decay all)",
                                     decay_.size(), parameters_.size()));
    // torch's checks, in its words; !(x >= 0) also refuses NaN
    if (!(options_.lr >= 0.0f)) throw ValueError(fmt::format("AdamW: invalid learning rate: {}", options_.lr));
    if (!(options_.eps >= 0.0f)) throw ValueError(fmt::format("AdamW: invalid epsilon value: {}", options_.eps));
    if (!(options_.beta1 >= 0.0f && options_.beta1 < 1.0f))
        throw ValueError(fmt::format("AdamW: invalid beta parameter at index 0: {}", options_.beta1));
    if (!(options_.beta2 >= 0.0f && options_.beta2 < 1.0f))
        throw ValueError(fmt::format("AdamW: invalid beta parameter at index 1: {}", options_.beta2));
    if (!(options_.weight_decay >= 0.0f))
        throw ValueError(fmt::format("AdamW: invalid weight_decay value: {}", options_.weight_decay));
    for (const Tensor* p : parameters_) {
        exp_avg_.push_back(zeros(p->shape()));
        exp_avg_sq_.push_back(zeros(p->shape()));
    }
}

// The arithmetic follows torch 1.13's _single_tensor_adamw (torch/optim/adamw.py)
// operation by operation, so that a run matches torch bit for bit (checked on 30
// steps of 1,000 elements in tests/lib/test_optim.cpp). What that takes:
//  - The scalars (bias corrections, step size, 1 - lr * weight_decay) are Python
//    floats, that is doubles, rounded to float32 only where they meet a tensor; so
//    here they are computed in double and rounded at the same places. beta^t is
//    std::pow, the same C library pow Python's ** calls.
//  - torch's AVX2 kernels compute `m * beta1 + (1 - beta1) * g` and
//    `v * beta2 + (1 - beta2) * g * g` with one fused multiply-add each (the
//    second product rounded first), so std::fma does the same here. With a plain
//    multiply and add instead, 47 of the test's 1,000 elements end up different
//    in the last bits (12 for v's).
//  - The update is p + (-step_size * m) / denom, in that order, as addcdiv_ does.
// What does not match: torch on a processor without AVX2 (no fused multiply-add
// there), and torch 2's `m.lerp_(g, 1 - beta1)`, which rounds differently.
// Speed: about 5 ns an element, 1 ms a step for 205K parameters, as torch 1.13's
// own loop here; std::fma is a library call in a build without -mfma (a build for
// any x86-64), so the loop does not vectorise.
void AdamW::step(float lr) {
    if (!(lr >= 0.0f) || !std::isfinite(lr))
        throw ValueError(fmt::format("AdamW: the learning rate must be a finite number >= 0, got {}", lr));
    ++steps_;
    const double t = static_cast<double>(steps_);
    const double bias_correction1 = 1.0 - std::pow(static_cast<double>(options_.beta1), t);
    const double bias_correction2 = 1.0 - std::pow(static_cast<double>(options_.beta2), t);
    const float neg_step_size = static_cast<float>(-(static_cast<double>(lr) / bias_correction1));
    const float bias_correction2_sqrt = static_cast<float>(std::sqrt(bias_correction2));
    const float shrink = static_cast<float>(1.0 - static_cast<double>(lr) * options_.weight_decay);
    const float beta1 = options_.beta1, beta2 = options_.beta2, eps = options_.eps;
    const float one_minus_beta1 = static_cast<float>(1.0 - beta1), one_minus_beta2 = static_cast<float>(1.0 - beta2);

    for (std::size_t i = 0; i < parameters_.size(); ++i) {
        float* p = parameters_[i]->data();
        const float* g = gradients_[i]->data();
        float *m = exp_avg_[i].data(), *v = exp_avg_sq_[i].data();
        const bool decays = decay_.empty() || decay_[i];
        for (std::size_t k = 0; k < parameters_[i]->numel(); ++k) {
            if (decays) p[k] *= shrink;                                      // decoupled weight decay
            m[k] = std::fma(one_minus_beta1, g[k], m[k] * beta1);            // running mean of g
            v[k] = std::fma(one_minus_beta2 * g[k], g[k], v[k] * beta2);     // running mean of g^2
            const float denom = std::sqrt(v[k]) / bias_correction2_sqrt + eps;
            p[k] += neg_step_size * m[k] / denom;
        }
    }
}

void AdamW::zero_grad() { fill_zeros(gradients_); }

std::vector<bool> decay_matrices(const std::vector<Tensor*>& parameters) {
    std::vector<bool> decay;
    for (const Tensor* p : parameters) decay.push_back(p->dim() >= 2);
    return decay;
}

}  // namespace wb
