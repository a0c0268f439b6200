// Lesson 13's recurrent pieces: the tanh RNN cell, the same run through time over a
// padded batch, Bahdanau's additive attention and the encoder-decoders built from
// them; every backward against central finite differences, and the cell's and the
// attention's forward against torch (data/reference/lesson13.txt).
#include <cmath>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "lib/additive_attention.hpp"
#include "lib/char_rnn.hpp"
#include "lib/errors.hpp"
#include "lib/ops.hpp"
#include "lib/random.hpp"
#include "lib/reference_file.hpp"
#include "lib/rnn.hpp"
#include "lib/seq2seq.hpp"
#include "tests/support/exercise_check.hpp"
#include "tests/support/gradient_check.hpp"

using wb::Tensor;
using wb::testing::check_gradient;
using wb::testing::weighted_sum;

namespace {

const wb::ReferenceFile& oracle() { return wb::testing::reference("lesson13.txt"); }

// |found - expected| <= tol * (1 + |expected|) element by element (tol 0: bit for bit)
void expect_same(const Tensor& found, const Tensor& expected, const std::string& what, float tol = 1e-6f) {
    BOOST_TEST_REQUIRE(found.shape() == expected.shape(), what << ": shape " << wb::to_string(found.shape())
                                                                << " against " << wb::to_string(expected.shape()));
    for (std::size_t k = 0; k < found.numel(); ++k) {
        const float a = found.data()[k], b = expected.data()[k];
        BOOST_TEST(std::abs(a - b) <= tol * (1.0f + std::abs(b)), what << "[" << k << "]: " << a << " against " << b);
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rnn)

BOOST_AUTO_TEST_CASE(cell_matches_torch_rnn_cell) {
    // torch.manual_seed(seed); nn.RNNCell(4, 3): the same draws give the same weights,
    // and the same step the same state
    for (const int seed : {0, 5}) {
        const std::string s = "_seed" + std::to_string(seed);
        wb::Generator g(static_cast<std::uint64_t>(seed));
        const wb::RNNCell cell(4, 3, g);
        expect_same(cell.weight_ih, oracle()["cell_weight_ih" + s].tensor(), "weight_ih" + s, 0.0f);
        expect_same(cell.weight_hh, oracle()["cell_weight_hh" + s].tensor(), "weight_hh" + s, 0.0f);
        expect_same(cell.bias_ih, oracle()["cell_bias_ih" + s].tensor(), "bias_ih" + s, 0.0f);
        expect_same(cell.bias_hh, oracle()["cell_bias_hh" + s].tensor(), "bias_hh" + s, 0.0f);
        expect_same(cell.forward(oracle()["cell_x" + s].tensor(), oracle()["cell_h" + s].tensor()),
                    oracle()["cell_out" + s].tensor(), "RNNCell(x, h)" + s);
    }
}

BOOST_AUTO_TEST_CASE(cell_backward) {
    wb::Generator g(1);
    wb::RNNCell cell(4, 3, g);
    Tensor x = g.randn({2, 4}), h = g.randn({2, 3});
    const Tensor R = g.randn({2, 3});
    const Tensor out = cell.forward(x, h);
    Tensor dx, dh;
    cell.backward(R, x, h, out, dx, dh);
    const auto loss = [&] { return weighted_sum(cell.forward(x, h), R); };
    check_gradient("cell dx", x, dx, loss);
    check_gradient("cell dh_prev", h, dh, loss);
    const std::vector<Tensor*> params = cell.parameters(), grads = cell.gradients();
    for (std::size_t i = 0; i < params.size(); ++i) check_gradient("cell parameter " + std::to_string(i), *params[i], *grads[i], loss);
}

BOOST_AUTO_TEST_CASE(through_time_both_ways_with_padding) {
    // three sequences of 4, 2 and 1 steps in a run of 4: the padding must cost nothing
    for (const bool reverse : {false, true}) {
        wb::Generator g(2);
        wb::RNNCell cell(3, 5, g);
        std::vector<Tensor> xs;
        for (int t = 0; t < 4; ++t) xs.push_back(g.randn({3, 3}));
        Tensor h0 = g.randn({3, 5});
        const std::vector<std::size_t> lengths = {4, 2, 1};
        std::vector<Tensor> R;
        for (int t = 0; t < 4; ++t) R.push_back(g.randn({3, 5}));
        const Tensor R_last = g.randn({3, 5});
        const auto loss = [&] {
            const wb::RNNRun run = wb::rnn_forward(cell, xs, h0, lengths, reverse);
            double total = weighted_sum(run.h.back(), R_last);
            for (std::size_t t = 0; t < 4; ++t) total += weighted_sum(wb::rnn_state_at(run, t), R[t]);
            return total;
        };
        const wb::RNNRun run = wb::rnn_forward(cell, xs, h0, lengths, reverse);
        Tensor dh0;
        const std::vector<Tensor> dxs = wb::rnn_backward(cell, run, xs, R, R_last, dh0);
        const std::string how = reverse ? "reverse " : "forward ";
        for (std::size_t t = 0; t < 4; ++t) check_gradient(how + "dx" + std::to_string(t), xs[t], dxs[t], loss);
        check_gradient(how + "dh0", h0, dh0, loss);
        check_gradient(how + "dweight_hh", cell.weight_hh, cell.dweight_hh, loss);
        check_gradient(how + "dbias_ih", cell.bias_ih, cell.dbias_ih, loss);
        // past its end a row keeps its state: row 2 (one step) ends with its state at t = 0, either way
        for (std::size_t k = 0; k < 5; ++k) BOOST_TEST(run.h.back()(2, k) == wb::rnn_state_at(run, 0)(2, k));
    }
}

BOOST_AUTO_TEST_CASE(additive_attention_matches_torch) {
    // v . tanh(W1 s + W2 h_i), softmax over each sequence's own positions, context
    wb::Generator g(3);
    const wb::AdditiveAttention att(4, 6, 5, g);
    expect_same(att.W1, oracle()["att_W1"].tensor(), "W1", 0.0f);
    expect_same(att.W2, oracle()["att_W2"].tensor(), "W2", 0.0f);
    expect_same(att.v, oracle()["att_v"].tensor(), "v", 0.0f);
    const Tensor s = oracle()["att_s"].tensor(), h = oracle()["att_h"].tensor();
    const wb::AdditiveStep step = att.forward(s, h, att.keys(h), {5, 3});
    expect_same(step.weights, oracle()["att_weights"].tensor(), "weights (lengths 5 and 3)");
    expect_same(step.context, oracle()["att_context"].tensor(), "context");
}

BOOST_AUTO_TEST_CASE(additive_attention_backward) {
    wb::Generator g(4);
    wb::AdditiveAttention att(4, 6, 5, g);
    Tensor s = g.randn({2, 4}), h = g.randn({2, 5, 6});
    const std::vector<std::size_t> lengths = {5, 3};
    const Tensor R = g.randn({2, 6});
    const auto loss = [&] { return weighted_sum(att.forward(s, h, att.keys(h), lengths).context, R); };
    const Tensor keys = att.keys(h);
    const wb::AdditiveStep step = att.forward(s, h, keys, lengths);
    Tensor ds, dh = wb::zeros(h.shape()), dkeys = wb::zeros(keys.shape());
    att.backward(R, s, h, step, ds, dh, dkeys);
    dh += att.keys_backward(dkeys, h);
    check_gradient("attention ds", s, ds, loss);
    check_gradient("attention dh", h, dh, loss);
    check_gradient("attention dW1", att.W1, att.dW1, loss);
    check_gradient("attention dW2", att.W2, att.dW2, loss);
    check_gradient("attention dv", att.v, att.dv, loss);
    // padding: the weights past a sequence's end are 0, and so are their gradients
    BOOST_TEST(step.weights(1, 3) == 0.0f);
    BOOST_TEST(dh(1, 4, 0) == 0.0f);
}

BOOST_AUTO_TEST_CASE(additive_attention_refuses_bad_input) {
    wb::Generator g(4);
    const wb::AdditiveAttention att(4, 6, 5, g);
    const Tensor h = g.randn({2, 5, 6});
    BOOST_CHECK_THROW(att.forward(g.randn({2, 3}), h, att.keys(h), {5, 3}), wb::ShapeError);
    BOOST_CHECK_THROW(att.forward(g.randn({2, 4}), h, att.keys(h), {5, 0}), wb::ValueError);
    BOOST_CHECK_THROW(att.forward(g.randn({2, 4}), h, att.keys(h), {5}), wb::ShapeError);
}

BOOST_AUTO_TEST_CASE(encoder_decoder_backward) {
    // both models, on a batch of reversals of different lengths
    const wb::Seq2SeqBatch batch = wb::make_seq2seq_batch({"emma", "ava", "x"}, {"amme", "ava", "x"});
    for (const std::size_t attention_size : {std::size_t(0), std::size_t(3)}) {
        wb::Generator g(5);
        wb::Seq2Seq model({.vocab_size = 27, .n_embd = 3, .encoder_hidden = 4, .decoder_hidden = 5,
                           .attention_size = attention_size}, g);
        model.zero_grad();
        model.forward(batch);
        model.backward();
        const auto loss = [&] { return static_cast<double>(model.forward(batch)); };
        const std::vector<Tensor*> params = model.parameters(), grads = model.gradients();
        for (std::size_t i = 0; i < params.size(); ++i)
            check_gradient((attention_size ? "attention model parameter " : "bottleneck model parameter ") +
                               std::to_string(i), *params[i], *grads[i], loss);
    }
}

BOOST_AUTO_TEST_CASE(batches_and_translation) {
    const wb::Seq2SeqBatch batch = wb::make_seq2seq_batch({"emma", "al"}, {"amme", "la"});
    BOOST_TEST(batch.T == 4u);
    BOOST_TEST((batch.tgt_in == std::vector<std::size_t>{0, 1, 13, 13, 5, 0, 12, 1, 0, 0}));
    BOOST_TEST((batch.tgt_out == std::vector<std::int64_t>{1, 13, 13, 5, 0, 12, 1, 0, -1, -1}));
    BOOST_CHECK_THROW(wb::make_seq2seq_batch({"ab"}, {"abc"}), wb::ValueError);
    BOOST_CHECK_THROW(wb::make_seq2seq_batch({"ab", "c"}, {"ba"}), wb::ShapeError);
    wb::Generator g(6);
    wb::Seq2Seq model({}, g);
    const wb::Translation t = model.translate("emma", 9);
    BOOST_TEST(t.text.size() <= 9u);
    BOOST_TEST(t.alignment.size(1) == 4u);  // a row per output step, a column per input character
    BOOST_TEST(t.alignment.size(0) == t.queries.size(0));
    for (std::size_t j = 0; j < t.alignment.size(0); ++j) {
        float total = 0.0f;
        for (std::size_t i = 0; i < 4; ++i) total += t.alignment(j, i);
        BOOST_TEST(total == 1.0f, boost::test_tools::tolerance(1e-5f));
    }
}

BOOST_AUTO_TEST_CASE(char_rnn_backward_and_padding) {
    // the capstone's RNN language model on two names padded to 6 positions
    wb::Generator g(7);
    wb::CharRNN model({.vocab_size = 27, .n_embd = 3, .hidden = 4, .context_length = 6}, g);
    const wb::SequenceDataset rows = wb::build_sequences({"emma", "al"}, 6);
    model.zero_grad();
    model.forward(rows.X, 2, 6);
    const float first = model.loss(rows.Y);
    model.backward();
    const auto loss = [&] {
        model.forward(rows.X, 2, 6);
        return static_cast<double>(model.loss(rows.Y));
    };
    const std::vector<Tensor*> params = model.parameters(), grads = model.gradients();
    for (std::size_t i = 0; i < params.size(); ++i) check_gradient("char rnn parameter " + std::to_string(i), *params[i], *grads[i], loss);
    // the padding after "al." changes nothing: the same rows padded to 8 score the same
    const wb::SequenceDataset longer = wb::build_sequences({"emma", "al"}, 8);
    model.forward(longer.X, 2, 8);
    BOOST_TEST(model.loss(longer.Y) == first, boost::test_tools::tolerance(1e-6f));
    BOOST_TEST(wb::evaluate(model, rows) == first, boost::test_tools::tolerance(1e-6f));
    BOOST_CHECK_THROW(model.forward(rows.X, 3, 6), wb::ShapeError);
}

BOOST_AUTO_TEST_CASE(char_rnn_matches_torch) {
    // nn.Embedding(27, 3), nn.RNNCell(3, 4), nn.Linear(4, 27) after torch.manual_seed(0), stepped over ".emma" and ".al.."
    wb::Generator g(0);
    wb::CharRNN model({.vocab_size = 27, .n_embd = 3, .hidden = 4, .context_length = 5}, g);
    const std::vector<std::size_t> x = {0, 5, 13, 13, 1, 0, 1, 12, 0, 0};
    const std::vector<std::int64_t> y = {5, 13, 13, 1, 0, 1, 12, 0, -1, -1};
    expect_same(model.forward(x, 2, 5), oracle()["char_rnn_logits"].tensor(), "logits", 1e-5f);
    BOOST_TEST(model.loss(y) == oracle()["char_rnn_loss"].tensor().item(), boost::test_tools::tolerance(1e-5f));
    wb::Generator g2(1);
    wb::CharRNN capstone_size({}, g2);
    BOOST_TEST(capstone_size.num_parameters() == static_cast<std::size_t>(oracle()["capstone_rnn_params"].integer("value")));
}

BOOST_AUTO_TEST_SUITE_END()
