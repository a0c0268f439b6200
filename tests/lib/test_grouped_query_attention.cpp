// Grouped-query attention: equal to MultiHeadAttention when every query head has its
// own K/V head, the heads of a group read the same keys and values, the backward
// against finite differences (GQA and MQA), and the errors.
#include <string>

#include <boost/test/unit_test.hpp>

#include "lib/errors.hpp"
#include "lib/grouped_query_attention.hpp"
#include "lib/multi_head_attention.hpp"
#include "tests/support/gradient_check.hpp"

using wb::Tensor;
using wb::testing::check_gradient;
using wb::testing::weighted_sum;

BOOST_AUTO_TEST_SUITE(grouped_query_attention)

BOOST_AUTO_TEST_CASE(with_as_many_kv_heads_as_heads_it_is_multi_head_attention) {
    for (const std::size_t heads : {1, 2, 4}) {
        wb::Generator g1(123), g2(123);
        wb::GroupedQueryAttention gqa(3, 8, 6, 0.0, heads, heads, g1);
        wb::MultiHeadAttention mha(3, 8, 6, 0.0, heads, g2);
        BOOST_TEST(gqa.W_key.weight.values() == mha.W_key.weight.values());
        wb::Generator gx(9);
        const Tensor x = gx.rand({2, 6, 3});
        BOOST_TEST(gqa.forward(x).values() == mha.forward(x).values());  // bit for bit
    }
}

BOOST_AUTO_TEST_CASE(heads_in_one_group_read_the_same_keys_and_values) {
    wb::Generator g(4);
    const Tensor kv = g.rand({2, 2, 5, 3});  // 2 K/V heads
    const Tensor repeated = wb::repeat_kv(kv, 3);
    BOOST_TEST((repeated.shape() == wb::Shape{2, 6, 5, 3}));
    for (std::size_t b = 0; b < 2; ++b)
        for (std::size_t h = 0; h < 6; ++h)
            for (std::size_t t = 0; t < 5; ++t)
                for (std::size_t i = 0; i < 3; ++i)
                    BOOST_TEST(repeated.values()[((b * 6 + h) * 5 + t) * 3 + i] ==
                               kv.values()[((b * 2 + h / 3) * 5 + t) * 3 + i]);
    wb::GroupedQueryAttention gqa(3, 8, 6, 0.0, 4, 2, g);
    BOOST_TEST(gqa.kv_head_of(0) == 0u);
    BOOST_TEST(gqa.kv_head_of(1) == 0u);
    BOOST_TEST(gqa.kv_head_of(2) == 1u);
    BOOST_TEST(gqa.kv_head_of(3) == 1u);
    // smaller K/V projections: 2 heads of 2 instead of 4
    BOOST_TEST((gqa.W_key.weight.shape() == wb::Shape{4, 3}));
    BOOST_TEST(gqa.num_parameters() == 8u * 3u + 2u * 4u * 3u + 8u * 8u + 8u);
}

BOOST_AUTO_TEST_CASE(backward_matches_finite_differences_for_gqa_and_mqa) {
    for (const std::size_t kv_heads : {2, 1}) {
        wb::Generator g(17);
        wb::GroupedQueryAttention gqa(3, 8, 6, 0.2, 4, kv_heads, g, true);
        Tensor x = g.randn({2, 5, 3});
        const Tensor R = g.randn({2, 5, 8});
        const auto forward = [&] {
            g.manual_seed(6);  // the same dropout mask every time
            return gqa.forward(x);
        };
        gqa.zero_grad();
        forward();
        const Tensor dx = gqa.backward(R);
        const auto loss = [&] { return weighted_sum(forward(), R); };
        const std::string what = kv_heads == 1 ? "MQA " : "GQA ";
        check_gradient(what + "dx", x, dx, loss);
        const auto params = gqa.parameters();
        for (std::size_t i = 0; i < params.size(); ++i) {
            const Tensor analytic = *gqa.gradients()[i];
            check_gradient(what + "parameter " + std::to_string(i), *params[i], analytic, loss);
        }
    }
}

BOOST_AUTO_TEST_CASE(heads_that_do_not_fit_are_named) {
    wb::Generator g(1);
    BOOST_CHECK_EXCEPTION(wb::GroupedQueryAttention(3, 8, 6, 0.0, 4, 3, g), wb::ValueError, [](const wb::ValueError& e) {
        return std::string(e.what()).find("num_heads (4) must be divisible by num_kv_heads (3)") != std::string::npos;
    });
    BOOST_CHECK_EXCEPTION(wb::GroupedQueryAttention(3, 6, 6, 0.0, 4, 2, g), wb::ValueError, [](const wb::ValueError& e) {
        return std::string(e.what()).find("d_out (6) must be divisible by num_heads (4)") != std::string::npos;
    });
    BOOST_CHECK_THROW(wb::repeat_kv(wb::ones({2, 3}), 2), wb::ShapeError);
}

BOOST_AUTO_TEST_SUITE_END()
