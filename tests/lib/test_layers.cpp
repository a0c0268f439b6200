// Every layer's backward against central finite differences of its forward.
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lib/errors.hpp"
#include "lib/layers.hpp"
#include "lib/ops.hpp"
#include "lib/random.hpp"
#include "tests/support/gradient_check.hpp"

using wb::Tensor;

using wb::testing::check_gradient;
using wb::testing::weighted_sum;

BOOST_AUTO_TEST_SUITE(layer_gradients)

BOOST_AUTO_TEST_CASE(linear) {
    wb::Generator g(1);
    Tensor inp = g.randn({4, 3}), weight = g.randn({5, 3}), bias = g.randn({5});
    const Tensor R = g.randn({4, 5});
    Tensor dweight = wb::zeros({5, 3}), dbias = wb::zeros({5});
    const Tensor dinp = wb::linear_backward(R, inp, weight, dweight, &dbias);
    const auto loss = [&] { return weighted_sum(wb::linear_forward(inp, weight, bias), R); };
    check_gradient("linear dinp", inp, dinp, loss);
    check_gradient("linear dweight", weight, dweight, loss);
    check_gradient("linear dbias", bias, dbias, loss);
}

BOOST_AUTO_TEST_CASE(embedding_sums_the_rows_used_twice) {
    wb::Generator g(2);
    Tensor table = g.randn({6, 4});
    const std::vector<std::size_t> ix = {1, 3, 1, 5};
    const Tensor R = g.randn({4, 4});
    Tensor dtable = wb::zeros({6, 4});
    wb::embedding_backward(R, ix, dtable);
    check_gradient("embedding dtable", table, dtable, [&] { return weighted_sum(wb::embedding_forward(table, ix), R); });
}

BOOST_AUTO_TEST_CASE(tanh) {
    wb::Generator g(3);
    Tensor inp = g.randn({3, 4});
    const Tensor R = g.randn({3, 4});
    const Tensor dinp = wb::tanh_backward(R, wb::tanh_forward(inp));
    check_gradient("tanh dinp", inp, dinp, [&] { return weighted_sum(wb::tanh_forward(inp), R); });
}

BOOST_AUTO_TEST_CASE(gelu) {
    wb::Generator g(5);
    Tensor inp = g.randn({4, 5}) * Tensor::scalar(2.0f);  // reaches the region below -0.75 where gelu falls
    const Tensor R = g.randn({4, 5});
    const Tensor dinp = wb::gelu_backward(R, inp);
    check_gradient("gelu dinp", inp, dinp, [&] { return weighted_sum(wb::gelu_forward(inp), R); });
}

BOOST_AUTO_TEST_CASE(layer_norm) {
    wb::Generator g(8);
    Tensor inp = g.randn({2, 3, 5}) * Tensor::scalar(3.0f) + Tensor::scalar(1.0f);
    Tensor weight = g.randn({5}), bias = g.randn({5});
    const Tensor R = g.randn({2, 3, 5});
    Tensor mean, rstd;
    const auto loss = [&] { return weighted_sum(wb::layer_norm_forward(inp, weight, bias, mean, rstd), R); };
    wb::layer_norm_forward(inp, weight, bias, mean, rstd);
    Tensor dweight(wb::Shape{5}), dbias(wb::Shape{5});
    const Tensor dinp = wb::layer_norm_backward(R, inp, weight, mean, rstd, dweight, dbias);
    check_gradient("layer_norm dinp", inp, dinp, loss);
    check_gradient("layer_norm dweight", weight, dweight, loss);
    check_gradient("layer_norm dbias", bias, dbias, loss);
    // each normalised row has mean 0 and (biased) variance 1 before weight and bias
    const Tensor ones = wb::ones({5}), zeros = wb::zeros({5});
    const Tensor y = wb::layer_norm_forward(inp, ones, zeros, mean, rstd);
    for (std::size_t r = 0; r < 6; ++r) {
        double m = 0, v = 0;
        for (std::size_t c = 0; c < 5; ++c) m += y.values()[r * 5 + c] / 5.0;
        for (std::size_t c = 0; c < 5; ++c) v += (y.values()[r * 5 + c] - m) * (y.values()[r * 5 + c] - m) / 5.0;
        BOOST_TEST(std::abs(m) < 1e-6);
        BOOST_TEST(std::abs(v - 1.0) < 1e-4);  // var / (var + eps), eps = 1e-5
    }
    BOOST_CHECK_EXCEPTION(wb::layer_norm_forward(inp, wb::ones({4}), wb::zeros({4}), mean, rstd), wb::ShapeError,
                          [](const wb::ShapeError& e) {
                              return std::string(e.what()).find("weight [4] and bias [4] must both be (5), the last "
                                                                "dimension of inp [2, 3, 5]") != std::string::npos;
                          });
}

BOOST_AUTO_TEST_CASE(cross_entropy) {
    wb::Generator g(4);
    Tensor logits = g.randn({5, 7}) * 3.0f;
    const std::vector<std::size_t> targets = {0, 6, 2, 2, 4};
    Tensor probs;
    wb::cross_entropy_forward(logits, targets, probs);
    const Tensor dlogits = wb::cross_entropy_backward(probs, targets);
    check_gradient("cross_entropy dlogits", logits, dlogits, [&] {
        Tensor p;
        return static_cast<double>(wb::cross_entropy_forward(logits, targets, p));
    });
}

BOOST_AUTO_TEST_CASE(cross_entropy_of_uniform_logits_is_log_v_and_stays_finite_for_huge_logits) {
    Tensor probs;
    BOOST_TEST(wb::cross_entropy_forward(wb::zeros({2, 27}), {3, 5}, probs) == std::log(27.0f),
               boost::test_tools::tolerance(1e-6f));
    const Tensor huge = {{1e4f, -1e4f, 0.0f}};
    const float loss = wb::cross_entropy_forward(huge, {1}, probs);
    BOOST_TEST(std::isfinite(loss));
    BOOST_TEST(loss == 2e4f, boost::test_tools::tolerance(1e-6f));
}

BOOST_AUTO_TEST_CASE(an_mlp_end_to_end) {
    // embedding -> linear -> tanh -> linear -> cross-entropy: makemore's MLP in miniature
    wb::Generator g(5);
    Tensor C = g.randn({6, 2}), W1 = g.randn({4, 6}), b1 = g.randn({4}), W2 = g.randn({6, 4}), b2 = g.randn({6});
    const std::vector<std::size_t> context = {1, 2, 0, 3, 3, 5, 4, 0, 2};  // 3 examples of 3 characters
    const std::vector<std::size_t> targets = {4, 1, 5};
    const auto forward = [&](Tensor* probs, Tensor* emb, Tensor* h) {
        const Tensor e = wb::embedding_forward(C, context).reshape({3, 6});
        const Tensor hidden = wb::tanh_forward(wb::linear_forward(e, W1, b1));
        Tensor p;
        const float loss = wb::cross_entropy_forward(wb::linear_forward(hidden, W2, b2), targets, p);
        if (probs) *probs = p;
        if (emb) *emb = e;
        if (h) *h = hidden;
        return static_cast<double>(loss);
    };
    Tensor probs, emb, h;
    forward(&probs, &emb, &h);
    Tensor dC = wb::zeros({6, 2}), dW1 = wb::zeros({4, 6}), db1 = wb::zeros({4}), dW2 = wb::zeros({6, 4}),
           db2 = wb::zeros({6});
    const Tensor dlogits = wb::cross_entropy_backward(probs, targets);
    const Tensor dh = wb::linear_backward(dlogits, h, W2, dW2, &db2);
    const Tensor dpre = wb::tanh_backward(dh, h);
    const Tensor demb = wb::linear_backward(dpre, emb, W1, dW1, &db1);
    wb::embedding_backward(demb.reshape({9, 2}), context, dC);
    const auto loss = [&] { return forward(nullptr, nullptr, nullptr); };
    check_gradient("mlp dC", C, dC, loss);
    check_gradient("mlp dW1", W1, dW1, loss);
    check_gradient("mlp db1", b1, db1, loss);
    check_gradient("mlp dW2", W2, dW2, loss);
    check_gradient("mlp db2", b2, db2, loss);
}

BOOST_AUTO_TEST_CASE(bad_indices_and_shapes_are_named) {
    const Tensor table = wb::zeros({5, 2});
    BOOST_CHECK_EXCEPTION(wb::embedding_forward(table, {1, 7}), wb::IndexError, [](const wb::IndexError& e) {
        return std::string(e.what()) == "embedding: index 7 at position 1 is out of range for 5 rows";
    });
    Tensor probs;
    BOOST_CHECK_EXCEPTION(wb::cross_entropy_forward(wb::zeros({2, 3}), {0}, probs), wb::ShapeError,
                          [](const wb::ShapeError& e) {
                              return std::string(e.what()) == "cross_entropy: 1 targets for logits of shape [2, 3] (needs one per row, at least one)";
                          });
    BOOST_CHECK_THROW(wb::cross_entropy_forward(wb::zeros({0, 5}), {}, probs), wb::ShapeError);
    BOOST_CHECK_THROW(wb::cross_entropy_backward(wb::ones({3, 4}), {1}), wb::ShapeError);
}

BOOST_AUTO_TEST_SUITE_END()
