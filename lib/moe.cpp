#include "lib/moe.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

#include "lib/errors.hpp"
#include "lib/kernels.hpp"
#include "lib/layers.hpp"
#include "lib/ops.hpp"
#include "lib/parallel.hpp"
#include "lib/vector_math.hpp"

namespace wb {
namespace {

void expect_rows(const Tensor& t, const char* op, const char* what) {
    if (t.dim() != 2) throw ShapeError(fmt::format("{}: {} must be 2-D (tokens, experts), got shape {}", op, what,
                                                   to_string(t.shape())));
}

// Combining the experts' outputs (and their input gradients) splits the tokens over
// the cores, this many at a time.
constexpr std::size_t kTokensPerChunk = 64;

void expect_k(std::size_t k, std::size_t num_experts, const char* op) {
    if (k == 0 || k > num_experts)
        throw ValueError(fmt::format("{}: top-k {} with {} experts: k takes 1 to {}", op, k, num_experts, num_experts));
}

}  // namespace

TopK top_k(const Tensor& probs, std::size_t k) {
    expect_rows(probs, "top_k", "probs");
    const std::size_t N = probs.size(0), E = probs.size(1);
    expect_k(k, E, "top_k");
    TopK result{Tensor(Shape{N, k}), std::vector<std::size_t>(N * k)};
    std::vector<std::size_t> order(E);
    for (std::size_t t = 0; t < N; ++t) {
        const float* row = probs.data() + t * E;
        // NaN has no place in a ranking (and would break the sort's ordering)
        for (std::size_t e = 0; e < E; ++e)
            if (std::isnan(row[e]))
                throw ValueError(fmt::format("top_k: the probability of expert {} for token {} is nan; routing needs "
                                             "numbers (did the weights diverge?)", e, t));
        std::iota(order.begin(), order.end(), 0);
        // stable: of two equal probabilities the lower expert comes first
        std::stable_sort(order.begin(), order.end(), [row](std::size_t a, std::size_t b) { return row[a] > row[b]; });
        for (std::size_t j = 0; j < k; ++j) {
            result.indices[t * k + j] = order[j];
            result.values(t, j) = row[order[j]];
        }
    }
    return result;
}

Tensor renormalize(const Tensor& values) {
    expect_rows(values, "renormalize", "values");
    Tensor out(values.shape());
    const std::size_t N = values.size(0), k = values.size(1);
    for (std::size_t t = 0; t < N; ++t) {
        float total = 0.0f;
        for (std::size_t j = 0; j < k; ++j) total += values(t, j);
        for (std::size_t j = 0; j < k; ++j) out(t, j) = values(t, j) / total;
    }
    return out;
}

Tensor expert_fractions(const std::vector<std::size_t>& experts, std::size_t k, std::size_t num_experts) {
    if (k == 0 || experts.size() % k != 0 || experts.empty())
        throw ShapeError(fmt::format("expert_fractions: {} expert choices is not a whole number of tokens of top-{}",
                                     experts.size(), k));
    std::vector<std::size_t> counts(num_experts, 0);
    for (const std::size_t e : experts) {
        if (e >= num_experts)
            throw IndexError(fmt::format("expert {} of {} (experts are 0 to {})", e, num_experts, num_experts - 1));
        ++counts[e];
    }
    const std::size_t N = experts.size() / k;
    Tensor f(Shape{num_experts});
    for (std::size_t e = 0; e < num_experts; ++e)
        f(e) = static_cast<float>(static_cast<double>(counts[e]) / static_cast<double>(N));
    return f;
}

float load_balancing_loss(const Tensor& probs, const std::vector<std::size_t>& experts, std::size_t k, float alpha) {
    expect_rows(probs, "load_balancing_loss", "probs");
    const std::size_t N = probs.size(0), E = probs.size(1);
    expect_k(k, E, "load_balancing_loss");
    if (experts.size() != N * k)
        throw ShapeError(fmt::format("load_balancing_loss: {} expert choices for {} tokens of top-{} (needs {})",
                                     experts.size(), N, k, N * k));
    const Tensor f = expert_fractions(experts, k, E);
    std::vector<double> P(E, 0.0);
    for (std::size_t t = 0; t < N; ++t)
        for (std::size_t e = 0; e < E; ++e) P[e] += probs(t, e) / static_cast<double>(N);
    double total = 0.0;
    for (std::size_t e = 0; e < E; ++e) total += f(e) * P[e];
    return static_cast<float>(alpha * static_cast<double>(E) * total);
}

std::size_t expert_capacity(std::size_t num_tokens, std::size_t k, std::size_t num_experts, double capacity_factor) {
    if (num_experts == 0) throw ValueError("expert_capacity: there must be at least one expert");
    if (!(capacity_factor > 0.0) || !std::isfinite(capacity_factor))
        throw ValueError(fmt::format("expert_capacity: the capacity factor must be a positive number, got {}",
                                     capacity_factor));
    const double even_share = capacity_factor * static_cast<double>(k) * static_cast<double>(num_tokens) /
                              static_cast<double>(num_experts);
    return std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(even_share)));
}

std::vector<bool> within_capacity(const std::vector<std::size_t>& experts, std::size_t k, std::size_t num_experts,
                                  std::size_t capacity) {
    if (k == 0 || experts.size() % k != 0)
        throw ShapeError(fmt::format("within_capacity: {} expert choices is not a whole number of tokens of top-{}",
                                     experts.size(), k));
    const std::size_t N = experts.size() / k;
    std::vector<bool> kept(experts.size(), false);
    std::vector<std::size_t> load(num_experts, 0);
    for (std::size_t j = 0; j < k; ++j)  // every token's first choice before anyone's second
        for (std::size_t t = 0; t < N; ++t) {
            const std::size_t e = experts[t * k + j];
            if (e >= num_experts)
                throw IndexError(fmt::format("within_capacity: expert {} of {} (experts are 0 to {})", e, num_experts,
                                             num_experts - 1));
            if (load[e] < capacity) {
                ++load[e];
                kept[t * k + j] = true;
            }
        }
    return kept;
}

// --- the layer ----------------------------------------------------------------------------

MixtureOfExperts::MixtureOfExperts(std::size_t d_model, std::size_t hidden, std::size_t num_experts,
                                   std::size_t top_k, Generator& g, Gate gate)
    : num_experts(num_experts), top_k(top_k), gate(gate), router(d_model, num_experts, false, g) {
    expect_k(top_k, num_experts, "MixtureOfExperts");
    experts.reserve(num_experts);
    for (std::size_t e = 0; e < num_experts; ++e) experts.emplace_back(d_model, hidden, g);
    drouter_ = Tensor(router.weight.shape());
}

Tensor MixtureOfExperts::forward(const Tensor& x) {
    const std::size_t C = router.weight.size(1);
    if (x.dim() == 0 || x.size(-1) != C)
        throw ShapeError(fmt::format("MixtureOfExperts: input of shape {} does not end in d_model {}",
                                     to_string(x.shape()), C));
    input_shape_ = x.shape();
    const std::size_t N = x.numel() / C, k = top_k;
    x_ = x.reshape({N, C});

    // the router: which experts, with what weights
    logits_ = linear_forward(x_, router.weight, router.bias);
    probs_ = softmax(logits_, -1);
    TopK best = wb::top_k(probs_, k);
    chosen_ = std::move(best.indices);
    weights_ = gate == Gate::renormalized ? renormalize(best.values) : best.values;
    kept_ = capacity_factor > 0.0
                ? within_capacity(chosen_, k, num_experts, expert_capacity(N, k, num_experts, capacity_factor))
                : std::vector<bool>(N * k, true);

    // dispatch: each expert runs once on all its tokens together (one matmul per layer)
    slots_.assign(num_experts, {});
    row_of_.assign(N * k, 0);
    for (std::size_t t = 0; t < N; ++t)
        for (std::size_t j = 0; j < k; ++j)
            if (kept_[t * k + j]) {
                auto& slots = slots_[chosen_[t * k + j]];
                row_of_[t * k + j] = slots.size();
                slots.push_back({t, j});
            }
    expert_out_.assign(num_experts, Tensor());
    // The experts do not depend on each other: they share the cores, one expert a
    // chunk (each expert's own matmuls then run on the thread that took it).
    parallel_for(num_experts, 1, [&](std::size_t e, std::size_t) {
        const auto& slots = slots_[e];
        if (slots.empty()) return;
        Tensor xe(Shape{slots.size(), C});  // gather
        for (std::size_t r = 0; r < slots.size(); ++r)
            std::copy_n(x_.data() + slots[r].token * C, C, xe.data() + r * C);
        expert_out_[e] = experts[e].forward(xe);
    });
    // combine: each token's output is the weighted sum of its experts' outputs
    Tensor out(Shape{N, C});
    parallel_for(N, kTokensPerChunk, [&](std::size_t t0, std::size_t t1) {
        for (std::size_t t = t0; t < t1; ++t)
            for_each_choice(t, [&](std::size_t e, std::size_t j) {
                detail::axpy(weights_.data()[t * k + j], expert_out_[e].data() + row_of_[t * k + j] * C,
                             out.data() + t * C, C);
            });
    });
    return out.reshape(input_shape_);
}

Tensor MixtureOfExperts::backward(const Tensor& dout, float alpha) {
    const std::size_t C = router.weight.size(1), N = x_.size(0), E = num_experts, k = top_k;
    if (dout.shape() != input_shape_)
        throw ShapeError(fmt::format("MixtureOfExperts::backward: dout of shape {} for an output of shape {}",
                                     to_string(dout.shape()), to_string(input_shape_)));
    const float *dy = dout.data(), *w = weights_.data(), *p = probs_.data();
    Tensor dx(Shape{N, C}), dweights(Shape{N, k});
    float* dwt = dweights.data();

    // through the experts, one expert a chunk: expert e's output was scaled by the
    // weight, so its gradient is weight * dout, and the weight's gradient is
    // dout . expert output (each token's choice belongs to one expert: no two
    // chunks write the same dweights)
    std::vector<Tensor> dxe(E);
    parallel_for(E, 1, [&](std::size_t e, std::size_t) {
        const auto& slots = slots_[e];
        if (slots.empty()) return;
        Tensor dye(Shape{slots.size(), C});
        for (std::size_t r = 0; r < slots.size(); ++r) {
            const std::size_t t = slots[r].token, j = slots[r].k;
            detail::axpy(w[t * k + j], dy + t * C, dye.data() + r * C, C);
            dwt[t * k + j] = detail::dot(dy + t * C, expert_out_[e].data() + r * C, C);
        }
        dxe[e] = experts[e].backward(dye);
    });
    // a token's input gradient collects its experts' (the sum in the forward's order)
    parallel_for(N, kTokensPerChunk, [&](std::size_t t0, std::size_t t1) {
        for (std::size_t t = t0; t < t1; ++t)
            for_each_choice(t, [&](std::size_t e, std::size_t j) {
                detail::axpy(1.0f, dxe[e].data() + row_of_[t * k + j] * C, dx.data() + t * C, C);
            });
    });

    // from the weights back to the router probabilities: w_j = p_j / S with S the sum
    // of the k chosen p, so dp_j = (dw_j - sum_i dw_i w_i) / S; unchosen experts get 0
    Tensor dprobs(Shape{N, E});
    float* dp = dprobs.data();
    for (std::size_t t = 0; t < N; ++t) {
        const std::size_t* chosen = chosen_.data() + t * k;
        if (gate == Gate::router_prob) {
            for (std::size_t j = 0; j < k; ++j) dp[t * E + chosen[j]] += dwt[t * k + j];
            continue;
        }
        float S = 0.0f, weighted = 0.0f;
        for (std::size_t j = 0; j < k; ++j) {
            S += p[t * E + chosen[j]];
            weighted += dwt[t * k + j] * w[t * k + j];
        }
        for (std::size_t j = 0; j < k; ++j) dp[t * E + chosen[j]] += (dwt[t * k + j] - weighted) / S;
    }
    // the auxiliary loss alpha * E * sum_e f_e * mean_t p_te: f counts choices and has
    // no gradient, so each p_te gets alpha * E * f_e / N
    if (alpha > 0.0f) {
        const Tensor f = expert_fractions(chosen_, k, E);
        for (std::size_t t = 0; t < N; ++t)
            for (std::size_t e = 0; e < E; ++e)
                dp[t * E + e] += alpha * static_cast<float>(E) * f.data()[e] / static_cast<float>(N);
    }
    // softmax: dlogits = p * (dp - sum(dp * p))
    Tensor dlogits(Shape{N, E});
    for (std::size_t t = 0; t < N; ++t) {
        float inner = 0.0f;
        for (std::size_t e = 0; e < E; ++e) inner += dp[t * E + e] * p[t * E + e];
        for (std::size_t e = 0; e < E; ++e) dlogits.data()[t * E + e] = p[t * E + e] * (dp[t * E + e] - inner);
    }
    detail::linear_backward(dx.data(), true, drouter_.data(), nullptr, dlogits.data(), x_.data(), router.weight.data(),
                            N, C, E);
    return dx.reshape(input_shape_);
}

float MixtureOfExperts::load_balancing_loss(float alpha) const {
    return wb::load_balancing_loss(probs_, chosen_, top_k, alpha);
}

std::vector<std::size_t> MixtureOfExperts::tokens_of(std::size_t e) const {
    std::vector<std::size_t> tokens;
    if (e < slots_.size())
        for (const Slot& s : slots_[e]) tokens.push_back(s.token);
    return tokens;
}

std::vector<Tensor*> MixtureOfExperts::parameters() {
    std::vector<Tensor*> p{&router.weight};
    for (FeedForward& expert : experts)
        for (Tensor* t : expert.parameters()) p.push_back(t);
    return p;
}

std::vector<Tensor*> MixtureOfExperts::gradients() {
    std::vector<Tensor*> p{&drouter_};
    for (FeedForward& expert : experts)
        for (Tensor* t : expert.gradients()) p.push_back(t);
    return p;
}

std::size_t MixtureOfExperts::num_parameters() const {
    return router.weight.numel() + num_experts * experts.front().num_parameters();
}

std::size_t MixtureOfExperts::num_active_parameters() const {
    return router.weight.numel() + top_k * experts.front().num_parameters();
}

}  // namespace wb
