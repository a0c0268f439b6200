// Scaled dot-product attention, dropout and the attention modules of lessons 04-05:
// every backward against central finite differences, the masks, and the errors.
// (The book's numbers are checked by the walkthrough tests against torch.)
#include <cmath>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lib/attention.hpp"
#include "lib/dropout.hpp"
#include "lib/errors.hpp"
#include "lib/ops.hpp"
#include "lib/self_attention.hpp"
#include "tests/support/gradient_check.hpp"

using wb::Tensor;
using wb::testing::check_gradient;
using wb::testing::weighted_sum;

namespace {

bool message_has(const std::exception& e, const std::string& part) {
    return std::string(e.what()).find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(attention)

BOOST_AUTO_TEST_CASE(sdpa_backward_matches_finite_differences_with_mask_and_dropout) {
    wb::Generator g(5);
    Tensor q = g.randn({2, 4, 3}), k = g.randn({2, 4, 3}), v = g.randn({2, 4, 5});
    const Tensor R = g.randn({2, 4, 5});  // loss = sum(context * R)
    const Tensor mask = wb::causal_mask(4);
    wb::Dropout dropout(0.3);
    // Every evaluation draws the same dropout mask: the generator restarts at seed 9.
    const auto forward = [&] {
        wb::Generator gd(9);
        return wb::scaled_dot_product_attention(q, k, v, mask, &dropout, &gd);
    };
    const wb::Attention a = forward();
    const wb::AttentionGrads d = wb::scaled_dot_product_attention_backward(R, q, k, v, a, &dropout);
    const auto loss = [&] { return weighted_sum(forward().context, R); };
    check_gradient("attention dq", q, d.dq, loss);
    check_gradient("attention dk", k, d.dk, loss);
    check_gradient("attention dv", v, d.dv, loss);
}

BOOST_AUTO_TEST_CASE(self_attention_v2_backward_matches_finite_differences) {
    wb::Generator g(11);
    wb::SelfAttention_v2 sa(3, 4, g, /*qkv_bias=*/true);
    Tensor x = g.randn({5, 3});
    const Tensor R = g.randn({5, 4});
    sa.zero_grad();
    sa.forward(x);
    const Tensor dx = sa.backward(R);
    const auto loss = [&] { return weighted_sum(sa.forward(x), R); };
    check_gradient("SelfAttention_v2 dx", x, dx, loss);
    const std::vector<std::string> names = {"W_query", "W_key", "W_value", "b_query", "b_key", "b_value"};
    BOOST_REQUIRE_EQUAL(sa.parameters().size(), names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
        const Tensor analytic = *sa.gradients()[i];
        check_gradient("SelfAttention_v2 d" + names[i], *sa.parameters()[i], analytic, loss);
    }
}

BOOST_AUTO_TEST_CASE(causal_attention_backward_matches_finite_differences_with_dropout) {
    wb::Generator g(21);
    wb::CausalAttention ca(3, 2, 6, 0.25, g);
    Tensor x = g.randn({2, 5, 3});  // shorter than the context length: the mask is cut to 5x5
    const Tensor R = g.randn({2, 5, 2});
    const auto forward = [&] {
        g.manual_seed(4);  // the same dropout mask every time
        return ca.forward(x);
    };
    ca.zero_grad();
    forward();
    const Tensor dx = ca.backward(R);
    const auto loss = [&] { return weighted_sum(forward(), R); };
    check_gradient("CausalAttention dx", x, dx, loss);
    for (std::size_t i = 0; i < 3; ++i) {
        const Tensor analytic = *ca.gradients()[i];
        check_gradient("CausalAttention weight " + std::to_string(i), *ca.parameters()[i], analytic, loss);
    }
}

BOOST_AUTO_TEST_CASE(causal_attention_never_looks_ahead) {
    // Changing the last token changes no earlier token's context.
    wb::Generator g(3);
    wb::CausalAttention ca(3, 2, 4, 0.0, g);
    Tensor x = g.rand({1, 4, 3});
    const Tensor before = ca.forward(x);
    x(0, 3, 0) += 10.0f;
    const Tensor after = ca.forward(x);
    for (std::size_t t = 0; t < 3; ++t)
        for (std::size_t j = 0; j < 2; ++j) BOOST_TEST(before(0, t, j) == after(0, t, j));
    BOOST_TEST(before(0, 3, 0) != after(0, 3, 0));
}

BOOST_AUTO_TEST_CASE(a_fully_masked_row_gets_zero_weights_not_nan) {
    const Tensor scores = {{1.0f, 2.0f}, {3.0f, 4.0f}};
    const Tensor mask = {{0.0f, 1.0f}, {1.0f, 1.0f}};
    const Tensor w = wb::masked_softmax(scores, mask);
    BOOST_TEST(w(0, 0) == 1.0f);
    BOOST_TEST(w(0, 1) == 0.0f);
    BOOST_TEST(w(1, 0) == 0.0f);
    BOOST_TEST(w(1, 1) == 0.0f);
}

BOOST_AUTO_TEST_CASE(dropout_keeps_the_expected_value_and_handles_p_0_and_1) {
    wb::Generator g(1);
    wb::Dropout half(0.5);
    const Tensor y = half.forward(wb::ones({100, 100}), g);
    std::size_t kept = 0;
    for (float v : y.values()) {
        BOOST_REQUIRE(v == 0.0f || v == 2.0f);
        kept += v != 0.0f;
    }
    BOOST_TEST(kept > 4800u);
    BOOST_TEST(kept < 5200u);
    BOOST_TEST(wb::sum(half.backward(wb::ones({100, 100}))).item() == 2.0f * static_cast<float>(kept));
    // p = 0 and p = 1 draw nothing (the next number is the seed's first)
    for (const double p : {0.0, 1.0}) {
        wb::Generator a(7), b(7);
        wb::Dropout d(p);
        const Tensor out = d.forward(wb::ones({3, 3}), a);
        BOOST_TEST(out(1, 1) == (p == 0.0 ? 1.0f : 0.0f));
        BOOST_TEST(a.random() == b.random());
    }
    BOOST_CHECK_EXCEPTION(wb::Dropout(1.5), wb::ValueError,
                          [](const wb::ValueError& e) { return message_has(e, "in [0, 1]; got 1.5"); });
}

BOOST_AUTO_TEST_CASE(shape_errors_name_the_shapes) {
    const Tensor q = wb::ones({4, 3}), k = wb::ones({4, 2}), v = wb::ones({4, 2});
    BOOST_CHECK_EXCEPTION(wb::scaled_dot_product_attention(q, k, v, Tensor()), wb::ShapeError,
                          [](const wb::ShapeError& e) { return message_has(e, "got q [4, 3] and k [4, 2]"); });
    wb::Generator g(1);
    wb::CausalAttention ca(3, 2, 4, 0.0, g);
    BOOST_CHECK_EXCEPTION(ca.forward(wb::ones({1, 5, 3})), wb::ShapeError,
                          [](const wb::ShapeError& e) { return message_has(e, "5 tokens, but the context length is 4"); });
    BOOST_CHECK_EXCEPTION(ca.forward(wb::ones({1, 4, 2})), wb::ShapeError,
                          [](const wb::ShapeError& e) { return message_has(e, "input of shape [1, 4, 2] for d_in = 3"); });
    BOOST_CHECK_EXCEPTION(wb::stack({wb::ones({2}), wb::ones({3})}), wb::ShapeError,
                          [](const wb::ShapeError& e) { return message_has(e, "[2] at entry 0 and [3] at entry 1"); });
}

BOOST_AUTO_TEST_CASE(bad_inputs_get_errors_not_nan) {
    wb::Generator g(1);
    // batch dimensions that would only broadcast: the backward could not return q, k, v's shapes
    BOOST_CHECK_EXCEPTION(wb::scaled_dot_product_attention(wb::ones({2, 4, 3}), wb::ones({4, 3}), wb::ones({4, 3}),
                                                            Tensor()),
                          wb::ShapeError,
                          [](const wb::ShapeError& e) { return message_has(e, "the same batch dimensions"); });
    BOOST_CHECK_EXCEPTION(wb::scaled_dot_product_attention(wb::ones({0, 3}), wb::ones({4, 3}), wb::ones({4, 3}), Tensor()),
                          wb::ShapeError, [](const wb::ShapeError& e) { return message_has(e, "at least one token"); });
    BOOST_CHECK_EXCEPTION(wb::CausalAttention(3, 0, 6, 0.0, g), wb::ValueError,
                          [](const wb::ValueError& e) { return message_has(e, "d_in and d_out must be at least 1"); });
    wb::CausalAttention ca(3, 2, 6, 0.0, g);
    BOOST_CHECK_EXCEPTION(ca.forward(wb::ones({6, 3})), wb::ShapeError,
                          [](const wb::ShapeError& e) { return message_has(e, "must be (batch, tokens, d_in)"); });
    BOOST_CHECK_EXCEPTION(ca.backward(wb::ones({1, 6, 2})), wb::ValueError,
                          [](const wb::ValueError& e) { return message_has(e, "needs a forward() first"); });
    ca.forward(wb::ones({1, 6, 3}));
    BOOST_CHECK_EXCEPTION(ca.backward(wb::ones({1, 5, 2})), wb::ShapeError,
                          [](const wb::ShapeError& e) { return message_has(e, "dcontext of shape [1, 5, 2]"); });
    BOOST_CHECK_EXCEPTION(wb::Dropout(-0.1), wb::ValueError, [](const wb::ValueError& e) { return message_has(e, "in [0, 1]"); });
    BOOST_CHECK_THROW(wb::Dropout(std::nan("")), wb::ValueError);
    BOOST_CHECK_EXCEPTION(wb::Dropout(0.5).backward(wb::ones({2})), wb::ValueError,
                          [](const wb::ValueError& e) { return message_has(e, "needs a forward() first"); });
    BOOST_CHECK_THROW(wb::stack({}), wb::ValueError);
    BOOST_CHECK_THROW(wb::masked_softmax(wb::ones({3, 3}), wb::ones({2, 2})), wb::ShapeError);
}

BOOST_AUTO_TEST_CASE(a_fully_masked_row_has_zero_gradient_not_nan) {
    wb::Generator g(2);
    const Tensor q = g.randn({3, 2}), k = g.randn({3, 2}), v = g.randn({3, 2});
    const Tensor mask = {{1.0f, 1.0f, 1.0f}, {0.0f, 1.0f, 1.0f}, {0.0f, 0.0f, 1.0f}};  // row 0 sees nothing
    const wb::Attention a = wb::scaled_dot_product_attention(q, k, v, mask);
    const wb::AttentionGrads d = wb::scaled_dot_product_attention_backward(wb::ones({3, 2}), q, k, v, a);
    for (const Tensor* t : {&a.context, &d.dq, &d.dk, &d.dv})
        for (float x : t->values()) BOOST_REQUIRE(std::isfinite(x));
    BOOST_TEST(d.dq(0, 0) == 0.0f);
    BOOST_TEST(d.dq(0, 1) == 0.0f);
}

BOOST_AUTO_TEST_SUITE_END()
