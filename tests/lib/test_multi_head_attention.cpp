// MultiHeadAttention (the book's 3.6.2) and its wrapper (3.6.1): the backward against
// finite differences, heads split and merged back, and the errors. The book's
// numbers are checked by lesson 06's walkthrough test against torch.
#include <string>

#include <boost/test/unit_test.hpp>

#include "lib/errors.hpp"
#include "lib/multi_head_attention.hpp"
#include "lib/ops.hpp"
#include "lib/print.hpp"
#include "lib/reference_file.hpp"
#include "tests/support/gradient_check.hpp"

using wb::Tensor;
using wb::testing::check_gradient;
using wb::testing::weighted_sum;

BOOST_AUTO_TEST_SUITE(multi_head_attention)

BOOST_AUTO_TEST_CASE(backward_matches_finite_differences) {
    for (const bool qkv_bias : {false, true}) {
        wb::Generator g(31);
        wb::MultiHeadAttention mha(3, 4, 6, 0.2, 2, g, qkv_bias);
        Tensor x = g.randn({2, 5, 3});
        const Tensor R = g.randn({2, 5, 4});
        const auto forward = [&] {
            g.manual_seed(8);  // the same dropout mask every time
            return mha.forward(x);
        };
        mha.zero_grad();
        forward();
        const Tensor dx = mha.backward(R);
        const auto loss = [&] { return weighted_sum(forward(), R); };
        const std::string what = qkv_bias ? "MHA (qkv_bias) " : "MHA ";
        check_gradient(what + "dx", x, dx, loss);
        const auto params = mha.parameters();
        BOOST_REQUIRE_EQUAL(params.size(), qkv_bias ? 8u : 5u);
        for (std::size_t i = 0; i < params.size(); ++i) {
            const Tensor analytic = *mha.gradients()[i];
            check_gradient(what + "parameter " + std::to_string(i), *params[i], analytic, loss);
        }
    }
}

BOOST_AUTO_TEST_CASE(split_heads_then_merge_gives_the_input_back) {
    wb::Generator g(2);
    const Tensor x = g.rand({2, 5, 6});
    const Tensor heads = wb::split_heads(x, 3);
    BOOST_TEST((heads.shape() == wb::Shape{2, 3, 5, 2}));
    // head h of token t holds features [2h, 2h+2) of that token
    BOOST_TEST(heads.values()[((1 * 3 + 2) * 5 + 4) * 2 + 1] == x(1, 4, 5));
    BOOST_TEST(wb::merge_heads(heads).values() == x.values());
}

BOOST_AUTO_TEST_CASE(one_head_is_causal_attention_plus_out_proj) {
    // With one head, MultiHeadAttention's context before out_proj is CausalAttention's
    // output on the same three weights.
    wb::Generator g(5), g2(5);
    wb::MultiHeadAttention mha(3, 2, 6, 0.0, 1, g);
    wb::CausalAttention ca(3, 2, 6, 0.0, g2);
    const Tensor x = g.rand({2, 6, 3});
    mha.forward(x);
    const Tensor expected = ca.forward(x);
    for (std::size_t i = 0; i < expected.numel(); ++i)
        BOOST_TEST(mha.context_before_proj().values()[i] == expected.values()[i], boost::test_tools::tolerance(1e-6f));
}

BOOST_AUTO_TEST_CASE(the_wrapper_puts_its_heads_side_by_side) {
    wb::Generator g(123), g2(123);
    wb::MultiHeadAttentionWrapper wrapper(3, 2, 6, 0.0, 3, g);
    const Tensor x = g.rand({2, 6, 3});
    const Tensor out = wrapper.forward(x);
    BOOST_TEST((out.shape() == wb::Shape{2, 6, 6}));
    const Tensor head1 = wrapper.heads[1].forward(x);
    BOOST_TEST(out(1, 3, 2) == head1(1, 3, 0));
    BOOST_TEST(out(1, 3, 3) == head1(1, 3, 1));
    BOOST_TEST(wrapper.num_parameters() == 3u * 3u * 3u * 2u);
}

BOOST_AUTO_TEST_CASE(the_parameter_formula_counts_what_the_module_holds) {
    wb::Generator g(0);
    for (const bool bias : {false, true}) {
        const wb::MultiHeadAttention gpt2(768, 768, 16, 0.0, 12, g, bias);
        BOOST_TEST(wb::multi_head_attention_parameters(768, 768, bias) == gpt2.num_parameters());
        const wb::MultiHeadAttention small(3, 4, 6, 0.0, 2, g, bias);
        BOOST_TEST(wb::multi_head_attention_parameters(3, 4, bias) == small.num_parameters());
    }
}

// The counts torch and Python's f"{n:,}" gave (data/reference/lesson06.txt).
BOOST_AUTO_TEST_CASE(the_counts_and_their_printing_match_the_oracle) {
    const wb::ReferenceFile oracle(WB_SOURCE_DIR "/data/reference/lesson06.txt");
    const auto expect = [&](const std::string& name, std::uint64_t ours) {
        const wb::ReferenceRecord& r = oracle[name];
        BOOST_TEST(ours == static_cast<std::uint64_t>(r.integer("value")), name);
        BOOST_TEST(wb::format_count(ours) == r.text.at(0), name);
    };
    expect("params_gpt2_mha", wb::multi_head_attention_parameters(768, 768, false));
    const wb::AttentionAccounting gpt3 = wb::account_attention(12288, 128, 96, 96);
    expect("gpt3_query", gpt3.query);
    expect("gpt3_value_up", gpt3.value_up);
    expect("gpt3_per_head", gpt3.per_head);
    expect("gpt3_per_block", gpt3.per_block);
    expect("gpt3_all_attention", gpt3.total);
}

BOOST_AUTO_TEST_CASE(bad_sizes_are_named) {
    wb::Generator g(1);
    BOOST_CHECK_EXCEPTION(wb::MultiHeadAttention(3, 5, 6, 0.0, 2, g), wb::ValueError, [](const wb::ValueError& e) {
        return std::string(e.what()).find("d_out (5) must be divisible by num_heads (2)") != std::string::npos;
    });
    wb::MultiHeadAttention mha(3, 4, 6, 0.0, 2, g);
    BOOST_CHECK_EXCEPTION(mha.forward(wb::ones({1, 7, 3})), wb::ShapeError, [](const wb::ShapeError& e) {
        return std::string(e.what()).find("7 tokens, but the context length is 6") != std::string::npos;
    });
    BOOST_CHECK_EXCEPTION(wb::cat({wb::ones({2, 3}), wb::ones({3, 3})}, -1), wb::ShapeError, [](const wb::ShapeError& e) {
        return std::string(e.what()).find("[2, 3] at entry 0 and [3, 3] at entry 1") != std::string::npos;
    });
}

BOOST_AUTO_TEST_SUITE_END()
