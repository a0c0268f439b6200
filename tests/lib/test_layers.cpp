// Every layer's backward against central finite differences of its forward, and
// GELU and LayerNorm against torch (data/reference/layers.txt).
#include <cmath>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lib/errors.hpp"
#include "lib/layers.hpp"
#include "lib/ops.hpp"
#include "lib/random.hpp"
#include "lib/reference_file.hpp"
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
    // rows far from 0 and with a large spread, and weights away from 1, so each of
    // the three terms of dinp matters
    wb::Generator g(6);
    Tensor inp = g.randn({2, 3, 5}) * Tensor::scalar(3.0f) + Tensor::scalar(2.0f);
    Tensor weight = g.randn({5}), bias = g.randn({5});
    const Tensor R = g.randn({2, 3, 5});
    Tensor mean, rstd, dweight = wb::zeros({5}), dbias = wb::zeros({5});
    wb::layer_norm_forward(inp, weight, bias, mean, rstd);
    const Tensor dinp = wb::layer_norm_backward(R, inp, weight, mean, rstd, dweight, dbias);
    const auto loss = [&] {
        Tensor m, r;
        return weighted_sum(wb::layer_norm_forward(inp, weight, bias, m, r), R);
    };
    check_gradient("layer_norm dinp", inp, dinp, loss);
    check_gradient("layer_norm dweight", weight, dweight, loss);
    check_gradient("layer_norm dbias", bias, dbias, loss);
}

BOOST_AUTO_TEST_CASE(layer_norm_backward_accumulates_into_dweight_and_dbias) {
    wb::Generator g(8);
    const Tensor inp = g.randn({4, 3}), weight = g.randn({3}), bias = g.randn({3}), dout = g.randn({4, 3});
    Tensor mean, rstd;
    wb::layer_norm_forward(inp, weight, bias, mean, rstd);
    Tensor dweight = wb::zeros({3}), dbias = wb::zeros({3});
    wb::layer_norm_backward(dout, inp, weight, mean, rstd, dweight, dbias);
    const Tensor once_w = dweight, once_b = dbias;
    // a second backward adds the same again (up to rounding: it adds row by row onto
    // what is there)
    wb::layer_norm_backward(dout, inp, weight, mean, rstd, dweight, dbias);
    for (std::size_t c = 0; c < 3; ++c) {
        BOOST_TEST(dweight(c) == 2.0f * once_w(c), boost::test_tools::tolerance(1e-6f));
        BOOST_TEST(dbias(c) == 2.0f * once_b(c), boost::test_tools::tolerance(1e-6f));
    }
}

BOOST_AUTO_TEST_CASE(layer_norm_rows_have_mean_0_and_variance_1) {
    wb::Generator g(8);
    Tensor inp = g.randn({2, 3, 5}) * Tensor::scalar(3.0f) + Tensor::scalar(1.0f);
    Tensor mean, rstd;
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
                              return std::string(e.what()).find("weight of shape [4] does not match the last dimension of inp [2, 3, 5]") != std::string::npos;
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

BOOST_AUTO_TEST_CASE(layer_norm_shape_errors_name_the_shapes) {
    const Tensor inp = wb::zeros({2, 3, 5});
    Tensor mean, rstd, dweight = wb::zeros({5}), dbias = wb::zeros({5});
    const auto says = [](const std::string& message) {
        return [message](const wb::ShapeError& e) { return std::string(e.what()) == message; };
    };
    BOOST_CHECK_EXCEPTION(wb::layer_norm_forward(inp, wb::ones({4}), wb::zeros({5}), mean, rstd), wb::ShapeError,
                          says("layer_norm: weight of shape [4] does not match the last dimension of inp [2, 3, 5]"));
    BOOST_CHECK_EXCEPTION(wb::layer_norm_forward(inp, wb::ones({5}), wb::zeros({5, 1}), mean, rstd), wb::ShapeError,
                          says("layer_norm: bias of shape [5, 1] does not match the last dimension of inp [2, 3, 5]"));
    BOOST_CHECK_EXCEPTION(wb::layer_norm_forward(wb::zeros({3, 0}), wb::ones({0}), wb::zeros({0}), mean, rstd),
                          wb::ShapeError,
                          says("layer_norm: inp must have a last dimension of at least 1 channel, got shape [3, 0]"));
    wb::layer_norm_forward(inp, wb::ones({5}), wb::zeros({5}), mean, rstd);
    BOOST_TEST(wb::to_string(mean.shape()) == "[2, 3]");
    BOOST_CHECK_EXCEPTION(wb::layer_norm_backward(wb::zeros({2, 5}), inp, wb::ones({5}), mean, rstd, dweight, dbias),
                          wb::ShapeError, says("layer_norm_backward: dout [2, 5] and inp [2, 3, 5] differ in shape"));
    Tensor small = wb::zeros({3});
    BOOST_CHECK_EXCEPTION(
        wb::layer_norm_backward(inp, inp, wb::ones({5}), mean, rstd, small, dbias), wb::ShapeError,
        says("layer_norm_backward: dweight of shape [3] does not match the last dimension of inp [2, 3, 5]"));
    BOOST_CHECK_EXCEPTION(wb::layer_norm_backward(inp, inp, wb::ones({5}), wb::zeros({6}), rstd, dweight, dbias),
                          wb::ShapeError,
                          says("layer_norm_backward: mean [6] and rstd [2, 3] must hold one value per row of inp "
                               "[2, 3, 5], shape [2, 3]"));
}

BOOST_AUTO_TEST_SUITE_END()

// GELU and LayerNorm against torch. Tolerance: |ours - torch| <= 1e-6 (1 + |torch|),
// about 8 float ulps at 1, as the two sides round in different orders (torch
// keeps float sums and its own tanh; lib sums rows in double).
BOOST_AUTO_TEST_SUITE(layers_against_torch)

namespace {

const wb::ReferenceFile& oracle() {
    static const wb::ReferenceFile file(WB_SOURCE_DIR "/data/reference/layers.txt");
    return file;
}

Tensor expected(const std::string& name) { return oracle()[name].tensor(); }

void expect_torch(const Tensor& ours, const std::string& name) {
    const Tensor theirs = expected(name);
    BOOST_TEST_REQUIRE(wb::to_string(ours.shape()) == wb::to_string(theirs.shape()), name);
    std::size_t bad = 0, first = 0;
    for (std::size_t i = 0; i < ours.numel(); ++i) {
        const double e = theirs.data()[i];
        const bool close = std::abs(ours.data()[i] - e) <= 1e-6 * (1.0 + std::abs(e));  // false for NaN
        if (!close && bad++ == 0) first = i;
    }
    BOOST_TEST(bad == 0, name << ": " << bad << " of " << ours.numel() << " elements differ by more than 1e-6 (1 + |torch|), "
                              << "the first [" << first << "]: ours " << ours.data()[first] << ", torch "
                              << theirs.data()[first]);
}

}  // namespace

BOOST_AUTO_TEST_CASE(gelu_forward_and_backward_match_torch) {
    const Tensor inp = expected("gelu_inp"), R = expected("gelu_R");
    expect_torch(wb::gelu_forward(inp), "gelu_out");
    expect_torch(wb::gelu_backward(R, inp), "gelu_dinp");
}

BOOST_AUTO_TEST_CASE(layer_norm_forward_and_backward_match_torch) {
    const Tensor inp = expected("layer_norm_inp"), weight = expected("layer_norm_weight"),
                 bias = expected("layer_norm_bias"), R = expected("layer_norm_R");
    Tensor mean, rstd;
    expect_torch(wb::layer_norm_forward(inp, weight, bias, mean, rstd), "layer_norm_out");
    expect_torch(mean, "layer_norm_mean");
    expect_torch(rstd, "layer_norm_rstd");
    Tensor dweight = wb::zeros({5}), dbias = wb::zeros({5});
    expect_torch(wb::layer_norm_backward(R, inp, weight, mean, rstd, dweight, dbias), "layer_norm_dinp");
    expect_torch(dweight, "layer_norm_dweight");
    expect_torch(dbias, "layer_norm_dbias");
}

// Logits of +-1e4: softmax and cross-entropy subtract each row's maximum first, so
// nothing overflows; exp(1e4) alone is inf in float32 (and softmax_naive's NaN).
BOOST_AUTO_TEST_CASE(softmax_and_cross_entropy_of_huge_logits_match_torch) {
    const Tensor logits = expected("extreme_logits");
    std::vector<std::size_t> targets;
    for (const char* at = oracle()["extreme_logits"].field("targets").c_str(); *at;) {
        char* end = nullptr;
        targets.push_back(std::strtoul(at, &end, 10));
        at = end;
    }
    BOOST_TEST_REQUIRE(targets.size() == logits.size(0));
    expect_torch(wb::softmax(logits, -1), "extreme_softmax");
    Tensor probs;
    const float loss = wb::cross_entropy_forward(logits, targets, probs);
    const float torch_loss = oracle()["extreme_logits"].float32("loss");
    BOOST_TEST(std::abs(loss - torch_loss) <= 1e-6 * (1.0 + std::abs(torch_loss)), "loss " << loss << ", torch " << torch_loss);
    expect_torch(probs, "extreme_softmax");
    expect_torch(wb::cross_entropy_backward(probs, targets), "extreme_dlogits");
    Tensor rows = wb::zeros({targets.size()}), unused;
    for (std::size_t i = 0; i < targets.size(); ++i)
        rows(i) = wb::cross_entropy_forward(logits.row(i).reshape({1, logits.size(1)}), {targets[i]}, unused);
    expect_torch(rows, "extreme_ce_rows");
}

BOOST_AUTO_TEST_SUITE_END()
