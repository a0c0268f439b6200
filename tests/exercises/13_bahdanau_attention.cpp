// Lesson 13's exercises, checked against the torch oracle (data/reference/lesson13.txt,
// written by data/reference/lesson13.py). Built twice: with solutions/ (in the test
// suite) and with the student's file (`./workbook check 13`). Seeded random inputs
// (seeds 7 and 11) besides the fixed ones keep a hard-coded answer from passing.
#include <string>

#include <boost/test/unit_test.hpp>

#include "exercises.hpp"
#include "tests/support/exercise_check.hpp"

namespace utf = boost::unit_test;
using lesson13::Tensor;
using wb::testing::attempt;
using wb::testing::expect_close;

namespace {

Tensor oracle(const std::string& name) { return wb::testing::reference("lesson13.txt")[name].tensor(); }

const int kSeeds[] = {7, 11};

std::string seeded(const std::string& name, int seed) { return name + "_seed" + std::to_string(seed); }

}  // namespace

BOOST_AUTO_TEST_SUITE(lesson13)

BOOST_AUTO_TEST_CASE(exercise_13_1, *utf::description("one step of a tanh RNN cell")) {
    const auto fixed = attempt([] {
        return lesson13::rnn_cell_step(oracle("cell_x_seed0"), oracle("cell_h_seed0"), oracle("cell_weight_ih_seed0"),
                                       oracle("cell_weight_hh_seed0"), oracle("cell_bias_ih_seed0"),
                                       oracle("cell_bias_hh_seed0"));
    });
    if (!fixed) return;
    expect_close(*fixed, oracle("cell_out_seed0"), "rnn_cell_step on nn.RNNCell(4, 3) after torch.manual_seed(0), "
                                                   "x = torch.randn(2, 4), h = torch.randn(2, 3)");
    for (const int seed : kSeeds) {
        const auto found = attempt([&] {
            return lesson13::rnn_cell_step(oracle(seeded("ex_cell_x", seed)), oracle(seeded("ex_cell_h", seed)),
                                           oracle(seeded("ex_cell_weight_ih", seed)),
                                           oracle(seeded("ex_cell_weight_hh", seed)),
                                           oracle(seeded("ex_cell_bias_ih", seed)), oracle(seeded("ex_cell_bias_hh", seed)));
        });
        if (found)
            expect_close(*found, oracle(seeded("ex_cell_out", seed)),
                         "rnn_cell_step on nn.RNNCell(4, 3) after torch.manual_seed(" + std::to_string(seed) +
                             "), then x = torch.randn(2, 4), h = torch.randn(2, 3)");
    }
}

BOOST_AUTO_TEST_CASE(exercise_13_2, *utf::description("additive attention scores for one decoder step")) {
    // the first sequence of the lib test's batch: its 5 positions all count
    const auto fixed = attempt([] {
        return lesson13::additive_scores(oracle("att_s").row(0), oracle("att_h").row(0), oracle("att_W1"),
                                         oracle("att_W2"), oracle("att_v"));
    });
    if (!fixed) return;
    expect_close(*fixed, oracle("att_scores").row(0),
                 "additive_scores(s, h) with D = 4, T = 5, C = 6, A = 5 (torch.manual_seed(3); see lesson13.py)");
    for (const int seed : kSeeds) {
        const auto found = attempt([&] {
            return lesson13::additive_scores(oracle(seeded("ex_att_s", seed)), oracle(seeded("ex_att_h", seed)),
                                             oracle(seeded("ex_att_W1", seed)), oracle(seeded("ex_att_W2", seed)),
                                             oracle(seeded("ex_att_v", seed)));
        });
        if (found)
            expect_close(*found, oracle(seeded("ex_att_scores", seed)),
                         "additive_scores with s (4), h (5, 6), W1 (3, 4), W2 (3, 6), v (3) from torch.randn after "
                         "torch.manual_seed(" + std::to_string(seed) + ")");
    }
}

BOOST_AUTO_TEST_CASE(exercise_13_3, *utf::description("the context vector from the attention weights")) {
    const auto fixed = attempt([] { return lesson13::context_vector(oracle("att_weights").row(0), oracle("att_h").row(0)); });
    if (!fixed) return;
    expect_close(*fixed, oracle("att_context").row(0), "context_vector(weights (5), h (5, 6)), torch.manual_seed(3)");
    // the second sequence has 3 positions: weights 0 past them leave those rows out
    const auto padded = attempt([] { return lesson13::context_vector(oracle("att_weights").row(1), oracle("att_h").row(1)); });
    if (padded)
        expect_close(*padded, oracle("att_context").row(1),
                     "context_vector with weights 0 on positions 3 and 4 (a sequence of 3 padded to 5)");
    for (const int seed : kSeeds) {
        const auto found = attempt([&] {
            return lesson13::context_vector(oracle(seeded("ex_att_weights", seed)), oracle(seeded("ex_att_h", seed)));
        });
        if (found)
            expect_close(*found, oracle(seeded("ex_att_context", seed)),
                         "context_vector(softmax of 13.2's scores, h (5, 6)), torch.manual_seed(" +
                             std::to_string(seed) + ")");
    }
}

BOOST_AUTO_TEST_CASE(exercise_13_4, *utf::description("backpropagation through two time steps")) {
    for (const int seed : kSeeds) {
        const auto found = attempt([&] {
            return lesson13::bptt_two_steps(
                oracle(seeded("ex_bptt_x1", seed)), oracle(seeded("ex_bptt_x2", seed)), oracle(seeded("ex_bptt_h0", seed)),
                oracle(seeded("ex_bptt_weight_ih", seed)), oracle(seeded("ex_bptt_weight_hh", seed)),
                oracle(seeded("ex_bptt_bias_ih", seed)), oracle(seeded("ex_bptt_bias_hh", seed)),
                oracle(seeded("ex_bptt_dh2", seed)));
        });
        if (!found) return;
        const std::string how = " of (h2 * dh2).sum() by torch's autograd, nn.RNNCell(4, 3) after torch.manual_seed(" +
                                std::to_string(seed) + "), x1, x2 (2, 4), h0, dh2 (2, 3) from torch.randn";
        expect_close(found->dweight_ih, oracle(seeded("ex_bptt_dweight_ih", seed)), "dweight_ih" + how);
        expect_close(found->dweight_hh, oracle(seeded("ex_bptt_dweight_hh", seed)), "dweight_hh" + how);
        expect_close(found->dbias, oracle(seeded("ex_bptt_dbias", seed)), "dbias" + how);
        expect_close(found->dh0, oracle(seeded("ex_bptt_dh0", seed)), "dh0" + how);
    }
}

BOOST_AUTO_TEST_SUITE_END()
