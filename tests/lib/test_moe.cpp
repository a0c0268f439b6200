// The mixture-of-experts layer: its backward (router, experts, the auxiliary loss,
// both gates, with capacity) against finite differences, the grouped dispatch
// against a token-by-token loop, the routing helpers' rules, and the errors.
#include <cmath>
#include <string>

#include <boost/test/unit_test.hpp>

#include "lib/errors.hpp"
#include "lib/moe.hpp"
#include "lib/ops.hpp"
#include "tests/support/gradient_check.hpp"

using wb::Tensor;
using wb::testing::check_gradient;
using wb::testing::weighted_sum;

BOOST_AUTO_TEST_SUITE(mixture_of_experts)

namespace {

struct Case {
    std::string name;
    std::size_t experts, k;
    wb::Gate gate;
    double capacity_factor;
};

}  // namespace

BOOST_AUTO_TEST_CASE(backward_matches_finite_differences) {
    const Case cases[] = {{"top-2 ", 4, 2, wb::Gate::renormalized, 0.0},
                          {"switch top-1 ", 4, 1, wb::Gate::router_prob, 0.0},
                          {"top-3 at capacity 1.0 ", 5, 3, wb::Gate::renormalized, 1.0}};
    for (const Case& c : cases) {
        wb::Generator g(21);
        wb::MixtureOfExperts moe(3, 6, c.experts, c.k, g, c.gate);
        moe.capacity_factor = c.capacity_factor;
        Tensor x = g.randn({2, 5, 3});
        const Tensor R = g.randn({2, 5, 3});
        const float alpha = 0.1f;  // large, so the auxiliary loss's share is well above the noise
        const auto loss = [&] {
            const Tensor out = moe.forward(x);
            return weighted_sum(out, R) + moe.load_balancing_loss(alpha);
        };
        for (Tensor* grad : moe.gradients()) *grad = Tensor(grad->shape());
        moe.forward(x);
        const Tensor dx = moe.backward(R, alpha);
        if (c.capacity_factor > 0.0) {  // the case must really drop something
            std::size_t dropped = 0;
            for (const bool kept : moe.kept()) dropped += kept ? 0 : 1;
            BOOST_TEST(dropped > 0u);
        }
        check_gradient(c.name + "dx", x, dx, loss);
        const auto params = moe.parameters();
        for (std::size_t i = 0; i < params.size(); ++i) {
            const Tensor analytic = *moe.gradients()[i];
            check_gradient(c.name + "parameter " + std::to_string(i), *params[i], analytic, loss);
        }
    }
}

BOOST_AUTO_TEST_CASE(grouped_dispatch_equals_a_token_by_token_loop) {
    wb::Generator g(5);
    wb::MixtureOfExperts moe(4, 8, 6, 2, g);
    const Tensor x = g.randn({9, 4});
    const Tensor out = moe.forward(x);
    const Tensor probs = wb::softmax(moe.router.forward(x), -1);
    for (std::size_t t = 0; t < 9; ++t) {
        const wb::TopK best = wb::top_k(probs.row(t).reshape({1, 6}), 2);
        const Tensor w = wb::renormalize(best.values);
        Tensor expected(wb::Shape{4});
        for (std::size_t j = 0; j < 2; ++j) {
            const Tensor y = moe.experts[best.indices[j]].forward(x.row(t).reshape({1, 4}));
            for (std::size_t c = 0; c < 4; ++c) expected(c) += w(0, j) * y(0, c);
        }
        for (std::size_t c = 0; c < 4; ++c) BOOST_TEST(std::abs(out(t, c) - expected(c)) < 1e-6f);
    }
}

BOOST_AUTO_TEST_CASE(routing_rules) {
    // top_k: largest first, ties in column order
    const Tensor probs = {{0.1f, 0.4f, 0.1f, 0.4f}, {0.7f, 0.1f, 0.1f, 0.1f}};
    const wb::TopK best = wb::top_k(probs, 3);
    BOOST_TEST((best.indices == std::vector<std::size_t>{1, 3, 0, 0, 1, 2}));
    const Tensor w = wb::renormalize(best.values);
    BOOST_TEST(std::abs(w(0, 0) + w(0, 1) + w(0, 2) - 1.0f) < 1e-6f);
    // capacity: all first choices before any second choice
    // three tokens, top-2: first choices 0, 0, 1 fill expert 0; then token 0 gets expert
    // 1, the last seat; tokens 1 and 2 find their second experts full
    const std::vector<std::size_t> chosen = {0, 1, 0, 1, 1, 0};
    BOOST_TEST((wb::within_capacity(chosen, 2, 2, 2) == std::vector<bool>{true, true, true, false, true, false}));
    BOOST_TEST(wb::expert_capacity(6, 1, 4, 1.0) == 1u);   // floor(1.5)
    BOOST_TEST(wb::expert_capacity(6, 2, 4, 1.25) == 3u);  // floor(3.75)
    BOOST_TEST(wb::expert_capacity(1, 1, 8, 1.0) == 1u);   // never below one
    // an even router costs alpha * k; all tokens on one expert alpha * E * k
    const Tensor even = wb::full({4, 4}, 0.25f);
    BOOST_TEST(std::abs(wb::load_balancing_loss(even, {0, 1, 2, 3}, 1, 0.01f) - 0.01f) < 1e-7f);
    const Tensor peaked = {{1.0f, 0.0f}, {1.0f, 0.0f}};
    BOOST_TEST(std::abs(wb::load_balancing_loss(peaked, {0, 0}, 1, 0.01f) - 0.02f) < 1e-7f);
}

BOOST_AUTO_TEST_CASE(bad_sizes_are_named) {
    wb::Generator g(1);
    BOOST_CHECK_EXCEPTION(wb::MixtureOfExperts(3, 6, 4, 5, g), wb::ValueError, [](const wb::ValueError& e) {
        return std::string(e.what()).find("top-k 5 with 4 experts: k takes 1 to 4") != std::string::npos;
    });
    wb::MixtureOfExperts moe(3, 6, 4, 2, g);
    BOOST_CHECK_EXCEPTION(moe.forward(wb::zeros({6, 2})), wb::ShapeError, [](const wb::ShapeError& e) {
        return std::string(e.what()).find("input of shape [6, 2] does not end in d_model 3") != std::string::npos;
    });
    BOOST_CHECK_THROW(wb::expert_capacity(6, 2, 4, 0.0), wb::ValueError);
    BOOST_CHECK_THROW(wb::expert_capacity(6, 2, 4, std::nan("")), wb::ValueError);
    BOOST_CHECK_THROW(wb::load_balancing_loss(wb::zeros({2, 4}), {0, 9}, 1, 0.01f), wb::IndexError);
    BOOST_CHECK_THROW(wb::top_k(wb::zeros({2, 4}), 0), wb::ValueError);
}

BOOST_AUTO_TEST_SUITE_END()
